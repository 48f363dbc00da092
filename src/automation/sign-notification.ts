import { createHmac } from 'node:crypto';

/** Header carrying `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'X-Reelwright-Signature';
/** Header carrying the signing time, in whole seconds since the Unix epoch. */
export const TIMESTAMP_HEADER = 'X-Reelwright-Timestamp';
/** Header carrying an id that stays the same across retries of one notification (for de-duplication). */
export const DELIVERY_HEADER = 'X-Reelwright-Delivery';

/** Options for `signNotification`. */
export type SignNotificationOptions = {
  /** The exact request body bytes (the JSON summary). */
  body: string | Uint8Array;
  /** The `X-Reelwright-Timestamp` value: whole seconds since the Unix epoch, as a decimal string. */
  timestamp: string;
  /** The shared secret. */
  secret: string;
};

/**
 * Computes the `X-Reelwright-Signature` value: `sha256=` followed by the lower-case hex HMAC-SHA256, keyed with the
 * secret, of `<timestamp>.<body>` (the timestamp header value, a dot, then the raw body bytes).
 *
 * @example
 * signNotification({ body: '{"runId":"r1"}', timestamp: '1767225600', secret: 's3cret' }); // 'sha256=…'
 * @see verifyNotificationSignature for the receiving side.
 */
export function signNotification(options: SignNotificationOptions): string {
  const hmac = createHmac('sha256', options.secret);
  hmac.update(`${options.timestamp}.`, 'utf8');
  hmac.update(options.body);
  return `sha256=${hmac.digest('hex')}`;
}

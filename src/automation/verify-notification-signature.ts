import { timingSafeEqual } from 'node:crypto';
import { signNotification } from './sign-notification.js';

/** How far the timestamp may be from the receiver's clock, either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Options for `verifyNotificationSignature`. */
export type VerifyNotificationSignatureOptions = {
  /** The raw request body exactly as received (do not re-serialise parsed JSON: key order and spacing matter). */
  body: string | Uint8Array;
  /** The `X-Reelwright-Timestamp` header, or null/undefined when absent. */
  timestamp: string | null | undefined;
  /** The `X-Reelwright-Signature` header, or null/undefined when absent. */
  signature: string | null | undefined;
  /** The shared secret (the same as the sender's). */
  secret: string;
  /** Maximum distance between the timestamp and `now`; default `DEFAULT_SIGNATURE_TOLERANCE_MS`. Limits replays. */
  toleranceMs?: number;
  /** The receiver's clock, in ms since the epoch; defaults to `Date.now()`. */
  now?: number;
};

/**
 * The verdict on one notification.
 * - `valid: true`: the body was signed with the secret within the tolerance.
 * - `missing`: a header is absent.
 * - `malformed`: the timestamp is not whole seconds, or the signature is not `sha256=<64 hex digits>`.
 * - `stale`: the timestamp is further than `toleranceMs` from `now` (a replay, or a badly wrong clock).
 * - `mismatch`: the signature does not match (wrong secret, or the body was changed).
 */
export type VerifyNotificationSignatureResult = { valid: true } | { valid: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a reelwright notification on the receiving side.
 *
 * How a receiver verifies (in any language):
 * 1. Read the raw body bytes and the `X-Reelwright-Timestamp` and `X-Reelwright-Signature` headers.
 * 2. Reject when the timestamp (Unix seconds) is more than a few minutes from your clock.
 * 3. Compute HMAC-SHA256 with the shared secret over `<timestamp>.<raw body>`, hex-encode it, prefix `sha256=`.
 * 4. Compare with the header in constant time. Use `X-Reelwright-Delivery` to drop duplicates of a retried delivery.
 *
 * @example
 * const verdict = verifyNotificationSignature({
 *   body: rawBody, secret: process.env.REELWRIGHT_NOTIFY_SECRET!,
 *   timestamp: req.headers['x-reelwright-timestamp'], signature: req.headers['x-reelwright-signature'],
 * });
 * if (!verdict.valid) return res.writeHead(401).end(verdict.reason);
 * @see sendNotification
 */
export function verifyNotificationSignature(options: VerifyNotificationSignatureOptions): VerifyNotificationSignatureResult {
  const { timestamp, signature } = options;
  if (!timestamp || !signature) return { valid: false, reason: 'missing' };
  if (!/^\d{1,15}$/.test(timestamp) || !/^sha256=[0-9a-f]{64}$/.test(signature)) return { valid: false, reason: 'malformed' };
  const tolerance = options.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS;
  const now = options.now ?? Date.now();
  if (Math.abs(now - Number(timestamp) * 1000) > tolerance) return { valid: false, reason: 'stale' };
  const expected = Buffer.from(signNotification({ body: options.body, timestamp, secret: options.secret }));
  const received = Buffer.from(signature);
  // Both are `sha256=` + 64 hex digits here, so the lengths match and timingSafeEqual cannot throw.
  return timingSafeEqual(expected, received) ? { valid: true } : { valid: false, reason: 'mismatch' };
}

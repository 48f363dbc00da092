import type { RedisOptions } from 'bullmq';
import { QueueError } from './queue-error.js';

/** Port used when a Redis URL names none. */
export const DEFAULT_REDIS_PORT = 6379;

/**
 * Turns `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS) into connection options for BullMQ (and ioredis).
 * Every connection retries forever (`maxRetriesPerRequest: null`), so a Redis restart pauses the queue instead of
 * failing jobs; callers stop waiting through their `AbortSignal`. Throws `QueueError` `RW_QUEUE_BAD_URL`.
 *
 * @example
 * parseRedisUrl('redis://10.0.0.5:6379/2'); // { host: '10.0.0.5', port: 6379, db: 2, maxRetriesPerRequest: null, … }
 */
export function parseRedisUrl(url: string): RedisOptions {
  const fail = (why: string): never => {
    throw new QueueError(`--queue ${JSON.stringify(redact(url))} is not a usable Redis URL: ${why}. Expected redis://HOST:PORT/DB, e.g. redis://10.0.0.5:6379/0.`, {
      code: 'RW_QUEUE_BAD_URL',
    });
  };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('it does not parse as a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') fail(`the scheme is "${parsed.protocol}", not redis: or rediss:`);
  if (parsed.hostname === '') fail('it names no host');
  const port = parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) fail(`the database "${dbText}" is not a number`);
  const db = dbText === '' ? 0 : Number(dbText);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ needs this for its blocking connections; for the others it turns a Redis restart into a pause.
    maxRetriesPerRequest: null,
    // Reconnect quickly at first, then every 2 s at most, forever.
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

import { CancelledError } from '../errors/index.js';
import { redact } from './parse-redis-url.js';
import { QueueError } from './queue-error.js';

/** How long `createQueueRunner` and `runWorker` wait for Redis to answer before giving up with `RW_QUEUE_UNREACHABLE`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/**
 * Waits for `ready` (connections that retry forever, so a wrong address would otherwise hang in silence), failing with
 * `QueueError` `RW_QUEUE_UNREACHABLE` after `timeoutMs`, or `CancelledError` when `signal` fires.
 *
 * @example
 * await reachRedis({ ready: queue.waitUntilReady(), redisUrl, timeoutMs: 15_000 });
 */
export async function reachRedis(options: { ready: Promise<unknown>; redisUrl: string; timeoutMs: number; signal?: AbortSignal | null }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new QueueError(
            `Redis at ${redact(options.redisUrl)} did not answer within ${Math.round(options.timeoutMs / 1000)} s. Is redis-server running, and does it listen on ` +
              'an address this machine can reach (bind, protected-mode, firewall)?',
            { code: 'RW_QUEUE_UNREACHABLE' },
          ),
        ),
      options.timeoutMs,
    );
    onAbort = () => reject(new CancelledError('Connecting to Redis was cancelled.', options.signal?.reason));
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([options.ready, failed]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

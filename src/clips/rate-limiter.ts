import { CancelledError, ConfigError } from '../errors/index.js';

/** Limits for one provider account. */
export type RateLimits = {
  /** Generations in flight at once (from the create call until the task is terminal). */
  concurrency: number;
  /** Create calls allowed per window (a minute by default), or null for no limit. */
  createsPerMinute: number | null;
};

/**
 * Defaults per provider id, from PROVIDERS.md: Runway's lowest tier allows 1–2 concurrent
 * generations (2 here); Luma about 10 concurrent and 20 creates a minute. `local` is ffmpeg on
 * this machine, so it is kept to the two cores.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimits>> = {
  runway: { concurrency: 2, createsPerMinute: null },
  luma: { concurrency: 10, createsPerMinute: 20 },
  local: { concurrency: 2, createsPerMinute: null },
};

/** Length of the create-rate window; tests shorten it. */
export const DEFAULT_RATE_WINDOW_MS = 60_000;

/** Options for `createRateLimiter`. */
export type CreateRateLimiterOptions = Partial<RateLimits> & {
  /** Window over which `createsPerMinute` is counted, in ms (default one minute). */
  windowMs?: number;
  /** Clock (ms); injectable for tests. */
  now?: () => number;
};

/** A held concurrency slot; `release` is idempotent. */
export type RateLimiterSlot = { release(): void };

/**
 * Per-provider concurrency and create-rate limiter. Waiting is abortable, FIFO, and a timer
 * runs only while a create call is waiting for the window to move.
 */
export interface RateLimiter {
  /** Waits for a free generation slot. Rejects with `CancelledError` when `signal` fires or the limiter closes. */
  acquireSlot(signal: AbortSignal | null): Promise<RateLimiterSlot>;
  /** Waits until one more create call fits in the window, then counts it. */
  reserveCreate(signal: AbortSignal | null): Promise<void>;
  /** Slots held now. */
  readonly active: number;
  /** Callers waiting for a slot or a create reservation. */
  readonly waiting: number;
  /** Rejects every waiter and clears the timer. */
  close(): void;
  [Symbol.dispose](): void;
}

type Waiter<T> = { resolve: (value: T) => void; reject: (error: unknown) => void; detach: () => void };

function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`options.${name} must be a whole number of at least 1, got ${String(value)}.`, {
      code: 'RW_CONFIG_INVALID',
    });
  }
}

/**
 * Builds a limiter for one provider account.
 *
 * @example
 * using limiter = createRateLimiter({ concurrency: 10, createsPerMinute: 20 });
 * const slot = await limiter.acquireSlot(signal);
 * try { await limiter.reserveCreate(signal); await provider.submit(request, signal); } finally { slot.release(); }
 */
export function createRateLimiter(options: CreateRateLimiterOptions = {}): RateLimiter {
  const concurrency = options.concurrency ?? 1;
  const createsPerWindow = options.createsPerMinute ?? null;
  const windowMs = options.windowMs ?? DEFAULT_RATE_WINDOW_MS;
  const now = options.now ?? Date.now;
  checkPositiveInteger(concurrency, 'concurrency');
  if (createsPerWindow !== null) checkPositiveInteger(createsPerWindow, 'createsPerMinute');
  checkPositiveInteger(windowMs, 'windowMs');

  let active = 0;
  let closed = false;
  const slotWaiters: Waiter<RateLimiterSlot>[] = [];
  const createWaiters: Waiter<void>[] = [];
  const createTimes: number[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const makeSlot = (): RateLimiterSlot => {
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        active -= 1;
        grantSlots();
      },
    };
  };

  function grantSlots(): void {
    while (active < concurrency && slotWaiters.length > 0) {
      const waiter = slotWaiters.shift()!;
      waiter.detach();
      active += 1;
      waiter.resolve(makeSlot());
    }
  }

  function pruneWindow(at: number): void {
    while (createTimes.length > 0 && createTimes[0]! <= at - windowMs) createTimes.shift();
  }

  function grantCreates(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    const at = now();
    pruneWindow(at);
    while (createWaiters.length > 0 && (createsPerWindow === null || createTimes.length < createsPerWindow)) {
      const waiter = createWaiters.shift()!;
      waiter.detach();
      createTimes.push(at);
      waiter.resolve();
    }
    if (createWaiters.length > 0 && !closed) {
      const wait = Math.max(1, createTimes[0]! + windowMs - at);
      timer = setTimeout(grantCreates, wait);
    }
  }

  function enqueue<T>(queue: Waiter<T>[], signal: AbortSignal | null, what: string, onRemoved: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError(`Cancelled while waiting for ${what}.`, signal.reason));
        return;
      }
      const onAbort = () => {
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        onRemoved();
        reject(new CancelledError(`Cancelled while waiting for ${what}.`, signal?.reason));
      };
      const waiter: Waiter<T> = {
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
    });
  }

  const limiter: RateLimiter = {
    acquireSlot(signal) {
      if (closed) return Promise.reject(new CancelledError('The rate limiter is closed.'));
      const promise = enqueue(slotWaiters, signal, 'a provider concurrency slot', () => undefined);
      grantSlots();
      return promise;
    },
    reserveCreate(signal) {
      if (closed) return Promise.reject(new CancelledError('The rate limiter is closed.'));
      const promise = enqueue(createWaiters, signal, 'the provider create-rate window', () => {
        if (createWaiters.length === 0 && timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      });
      grantCreates();
      return promise;
    },
    get active() {
      return active;
    },
    get waiting() {
      return slotWaiters.length + createWaiters.length;
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const waiter of [...slotWaiters.splice(0), ...createWaiters.splice(0)]) {
        waiter.detach();
        waiter.reject(new CancelledError('The rate limiter was closed while waiting.'));
      }
    },
    [Symbol.dispose]() {
      limiter.close();
    },
  };
  return limiter;
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, DEFAULT_RATE_LIMITS } from './index.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createRateLimiter', () => {
  it('defaults to Runway 2 concurrent and Luma 10 concurrent / 20 creates a minute', () => {
    expect(DEFAULT_RATE_LIMITS['runway']).toEqual({ concurrency: 2, createsPerMinute: null });
    expect(DEFAULT_RATE_LIMITS['luma']).toEqual({ concurrency: 10, createsPerMinute: 20 });
  });

  it('hands out slots up to the concurrency limit and the next one, in order, on release', async () => {
    using limiter = createRateLimiter({ concurrency: 2 });
    const a = await limiter.acquireSlot(null);
    const b = await limiter.acquireSlot(null);
    const order: string[] = [];
    const c = limiter.acquireSlot(null).then((slot) => (order.push('c'), slot));
    const d = limiter.acquireSlot(null).then((slot) => (order.push('d'), slot));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([]);
    expect(limiter.waiting).toBe(2);
    a.release();
    a.release(); // idempotent: frees one slot, not two
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['c']);
    b.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['c', 'd']);
    (await c).release();
    (await d).release();
    expect(limiter.active).toBe(0);
  });

  it('lets through at most N creates per window and the next as the window moves', async () => {
    using limiter = createRateLimiter({ concurrency: 10, createsPerMinute: 2, windowMs: 1_000 });
    const times: number[] = [];
    const start = Date.now();
    const creates = [0, 1, 2, 3, 4].map(() => limiter.reserveCreate(null).then(() => times.push(Date.now() - start)));
    await vi.advanceTimersByTimeAsync(0);
    expect(times).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(999);
    expect(times).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(times).toEqual([0, 0, 1000, 1000]);
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all(creates);
    expect(times).toEqual([0, 0, 1000, 1000, 2000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a waiter whose signal fires with RW_CANCELLED and keeps the others queued', async () => {
    using limiter = createRateLimiter({ concurrency: 1 });
    const held = await limiter.acquireSlot(null);
    const controller = new AbortController();
    const cancelled = limiter.acquireSlot(controller.signal);
    const next = limiter.acquireSlot(null);
    controller.abort(new Error('Ctrl-C'));
    await expect(cancelled).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(limiter.waiting).toBe(1);
    held.release();
    await expect(next).resolves.toBeDefined();
  });

  it('stops its timer when the only waiting create is aborted', async () => {
    using limiter = createRateLimiter({ concurrency: 1, createsPerMinute: 1 });
    await limiter.reserveCreate(null);
    const controller = new AbortController();
    const waiting = limiter.reserveCreate(controller.signal);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects every waiter on close and leaves no timer running', async () => {
    const limiter = createRateLimiter({ concurrency: 1, createsPerMinute: 1 });
    await limiter.acquireSlot(null);
    await limiter.reserveCreate(null);
    const slot = limiter.acquireSlot(null);
    const create = limiter.reserveCreate(null);
    limiter.close();
    await expect(slot).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    await expect(create).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    expect(vi.getTimerCount()).toBe(0);
    await expect(limiter.acquireSlot(null)).rejects.toMatchObject({ code: 'RW_CANCELLED' });
  });

  it('refuses nonsense limits naming the option', () => {
    expect(() => createRateLimiter({ concurrency: 0 })).toThrow(/options\.concurrency must be a whole number of at least 1, got 0/);
    expect(() => createRateLimiter({ concurrency: 1, createsPerMinute: 2.5 })).toThrow(/options\.createsPerMinute/);
  });
});

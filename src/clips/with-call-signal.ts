/**
 * Runs one SDK call with an AbortSignal of its own that follows `signal`, and detaches it from
 * `signal` when the call settles.
 *
 * Why: `@runwayml/sdk` 4.20 and `lumaai` 1.19 add an `'abort'` listener to the signal they are
 * given (`fetchWithTimeout`) and never remove it. Given the run-wide signal directly, every create,
 * poll and cancel call left one listener behind for the rest of the run — Node's
 * `MaxListenersExceededWarning` after 10 polls, and each listener kept its request's
 * AbortController alive. Here the SDK's listener lands on a per-call signal that is dropped with
 * the call, and our one listener on `signal` is removed in `finally`.
 *
 * Without `signal` the call gets `null` (no cancellation), as before.
 *
 * @example
 * const task = await withCallSignal(signal, (s) => client.tasks.retrieve(taskId, { signal: s }));
 */
export async function withCallSignal<T>(signal: AbortSignal | null, call: (callSignal: AbortSignal | null) => Promise<T>): Promise<T> {
  if (!signal) return call(null);
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(controller.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Readiness registry: work a frame waits for before it is captured (an image decode, a video seek,
 * a font, a fetch). The page host awaits every pending handle after rendering each frame.
 */
const pending = new Map<number, { label: string; promise: Promise<void>; resolve: () => void }>();
let nextHandle = 1;

/** Blocks capture of the current frame until `continueRender(handle)` is called. */
export function delayRender(label = 'delayRender'): number {
  const handle = nextHandle++;
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  pending.set(handle, { label, promise, resolve });
  return handle;
}

/** Releases a handle from `delayRender`. */
export function continueRender(handle: number): void {
  const entry = pending.get(handle);
  if (!entry) return;
  pending.delete(handle);
  entry.resolve();
}

/** @internal Resolves once nothing is pending (including handles added while waiting). */
export async function _waitForPendingRenders(): Promise<void> {
  while (pending.size > 0) {
    await Promise.all([...pending.values()].map((p) => p.promise));
  }
}

/** @internal Labels of handles still pending, for timeout messages. */
export function _pendingLabels(): string[] {
  return [...pending.values()].map((p) => p.label);
}

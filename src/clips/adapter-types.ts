import type { ClipProvider } from './types.js';

/**
 * Turns a request's `inputImageHash` (image→video) into something the provider can fetch:
 * a `data:image/...;base64,` URI (Runway, up to 5 MB) or an https URL (Runway and Luma).
 * The composition root builds it from the planner's image store; rows never reach it unchecked.
 */
export type ResolveInputImage = (hash: string, signal: AbortSignal | null) => Promise<string> | string;

/**
 * A `ClipProvider` that can also cancel a task (Runway `DELETE /v1/tasks/{id}`, Luma
 * `DELETE /generations/{id}`). `generateClip` uses it when the deadline passes while a task
 * is still running, so an abandoned task stops billing.
 */
export interface CancellableClipProvider extends ClipProvider {
  /** Cancels (or deletes) a task; resolves once the provider accepted it. */
  cancel(taskId: string, signal: AbortSignal | null): Promise<void>;
}

/** Whether a provider implements `cancel`. */
export function isCancellable(provider: ClipProvider): provider is CancellableClipProvider {
  return typeof (provider as Partial<CancellableClipProvider>).cancel === 'function';
}

import { RenderError } from '../errors/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import { BrowserSession, serveFiles, type FileServer } from '../render/index.js';
import { renderTaskInSession } from './render-task-in-session.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from './types.js';

/** Options of `createInlineRunner`. */
export type CreateInlineRunnerOptions = { chromiumPath?: string | null; logLevel?: LogLevel; onLog?: OnLog | null };

/**
 * Renders tasks one at a time in the calling thread with one warm browser: for the studio's
 * "render this row" and for debugging. Batches use the piscina pool.
 */
export class InlineRunner {
  readonly concurrency = 1;
  readonly #options: CreateInlineRunnerOptions;
  #session: BrowserSession | null = null;
  #server: FileServer | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: CreateInlineRunnerOptions = {}) {
    this.#options = options;
  }

  run(task: RenderTask, options: { signal?: AbortSignal | null; onProgress?: ((p: RenderTaskProgress) => void) | null } = {}): Promise<RenderTaskResult> {
    const result = this.#queue.then(() => this.#runNow(task, options));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #runNow(task: RenderTask, options: { signal?: AbortSignal | null; onProgress?: ((p: RenderTaskProgress) => void) | null }): Promise<RenderTaskResult> {
    this.#server ??= await serveFiles();
    if (!this.#session || this.#session.state !== 'ready') {
      await this.#session?.close();
      this.#session = await BrowserSession.launch({ width: 320, height: 180, executablePath: this.#options.chromiumPath ?? null, logLevel: this.#options.logLevel ?? 'info', onLog: this.#options.onLog ?? null });
    }
    try {
      return await renderTaskInSession({ task, session: this.#session, server: this.#server, signal: options.signal ?? null, onProgress: options.onProgress ?? null });
    } catch (error) {
      if (error instanceof RenderError && (error.code === 'RW_BROWSER_CRASHED' || error.code === 'RW_FRAME_TIMEOUT')) {
        await this.#session.close();
        this.#session = null;
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#session?.close();
    await this.#server?.close();
    this.#session = null;
    this.#server = null;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Creates an `InlineRunner`. */
export function createInlineRunner(options: CreateInlineRunnerOptions = {}): InlineRunner {
  return new InlineRunner(options);
}

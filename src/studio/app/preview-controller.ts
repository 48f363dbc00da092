import type { AudioFrameEntry, PageApi, PageInit } from '../../render/index.js';
import { PreviewAudio } from './preview-audio.js';

/** What the preview shows: a template bundle (the renderer's page host) mounted with one row. */
export type PreviewSource = {
  /** URL of the bundle's `index.html`. */
  bundleUrl: string;
  /** Content hash of the bundle (for mapping error positions back to sources). */
  bundleHash: string;
  /** The row as the renderer would pass it (`prepare` answer). */
  init: PageInit;
};

/** An error the page reported while mounting or rendering, with any stack traces caught in the page. */
export type PreviewIssue = {
  /** The page host's message (`takeErrors()`), or a stack's first line. */
  message: string;
  /** Stack traces (`bundle.js:line:column` positions) caught from the page's `console.error` and `error` events. */
  stacks: string[];
};

/** What the controller tells the React side. */
export type PreviewCallbacks = {
  /** A frame is on screen (after init, a seek, or a playback tick). */
  onFrame: (frame: number) => void;
  /** The errors of the frame now on screen (empty when it rendered cleanly), and the bundle they come from. */
  onIssues: (issues: PreviewIssue[], bundleHash: string) => void;
  /** Playback started or stopped (stops at the end unless looping). */
  onPlaying: (playing: boolean) => void;
  /** Whether a new source is being mounted. */
  onBusy: (busy: boolean) => void;
};

/** One of the two iframes (double buffering: the next source is mounted off screen, then swapped in). */
type Buffer = {
  iframe: HTMLIFrameElement;
  url: string | null;
  api: PageApi | null;
  source: PreviewSource | null;
  frame: number | null;
  /** The last mount or frame reported errors: the template's error boundary is down until the next mount. */
  failed: boolean;
  /** Errors caught from the page itself (stack traces), drained after each call. */
  caught: string[];
  /** The `<Audio>` entries of the frame shown (empty after an error). */
  audio: AudioFrameEntry[];
};

/** Milliseconds to wait for a bundle page to load. */
const LOAD_TIMEOUT_MS = 20_000;

function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Drives the live preview: two iframes holding the renderer's own page host (`window.__reelwright`), so the
 * preview shows what the batch renders. A new bundle or row is mounted in the hidden iframe at the current frame
 * and then swapped in (no flash of frame 0 while typing or reloading). Playback runs on `requestAnimationFrame` in
 * the parent at the template's fps, calling `renderFrame(f)` and dropping frames the page cannot keep up with.
 * Every change is reconciled by one loop, so only the newest source and frame are ever worked on.
 * While playing, each shown frame's `<Audio>` entries drive `PreviewAudio` in this document; anything else is silent.
 */
export class PreviewController {
  readonly #buffers: [Buffer, Buffer];
  readonly #callbacks: PreviewCallbacks;
  #front = 0;
  #want: { source: PreviewSource | null; frame: number } = { source: null, frame: 0 };
  #pumping = false;
  #destroyed = false;
  #playing = false;
  #loop = false;
  #playStart = 0;
  #playFrom = 0;
  #raf = 0;
  #mounts = 0;
  readonly #audio: PreviewAudio;

  constructor(container: HTMLElement, callbacks: PreviewCallbacks) {
    this.#callbacks = callbacks;
    this.#audio = new PreviewAudio(container.ownerDocument.body);
    const make = (): Buffer => {
      const iframe = document.createElement('iframe');
      iframe.title = 'Template preview';
      iframe.className = 'preview-frame';
      iframe.dataset['active'] = 'false';
      iframe.setAttribute('scrolling', 'no');
      container.appendChild(iframe);
      return { iframe, url: null, api: null, source: null, frame: null, failed: false, caught: [], audio: [] };
    };
    this.#buffers = [make(), make()];
    this.#buffers[0].iframe.dataset['active'] = 'true';
  }

  /** The frame currently wanted (shown once the page caught up). */
  get frame(): number {
    return this.#want.frame;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** Shows a new bundle and/or row, keeping the current frame (clamped to the new length). */
  setSource(source: PreviewSource): void {
    // A new bundle serves its assets under new URLs: the old elements will not be heard again.
    this.#audio.stop({ drop: source.bundleUrl !== this.#want.source?.bundleUrl });
    const last = source.init.config.durationInFrames - 1;
    this.#want = { source, frame: Math.min(this.#want.frame, last) };
    void this.#pump();
  }

  /** Shows frame `frame` (clamped to the video). */
  seek(frame: number): void {
    // Before the first source the length is unknown: keep the wish, `setSource` clamps it.
    const last = this.#want.source ? this.#want.source.init.config.durationInFrames - 1 : Number.MAX_SAFE_INTEGER;
    this.#want = { ...this.#want, frame: Math.max(0, Math.min(last, Math.round(frame))) };
    // Scrubbing is silent; while playing, the next frame shown starts the sound again at the new place.
    this.#audio.stop();
    if (this.#playing) {
      this.#playFrom = this.#want.frame;
      this.#playStart = performance.now();
    }
    void this.#pump();
  }

  setLoop(loop: boolean): void {
    this.#loop = loop;
  }

  get muted(): boolean {
    return this.#audio.muted;
  }

  /** Mutes or unmutes the preview's sound (playback goes on either way). */
  setMuted(muted: boolean): void {
    this.#audio.setMuted(muted);
  }

  play(): void {
    const source = this.#want.source;
    if (this.#playing || !source) return;
    const last = source.init.config.durationInFrames - 1;
    this.#playFrom = this.#want.frame >= last ? 0 : this.#want.frame;
    this.#playStart = performance.now();
    this.#playing = true;
    this.#callbacks.onPlaying(true);
    this.#raf = requestAnimationFrame(this.#tick);
  }

  pause(): void {
    if (!this.#playing) return;
    this.#playing = false;
    cancelAnimationFrame(this.#raf);
    this.#audio.stop();
    this.#callbacks.onPlaying(false);
  }

  /** Stops playback and removes the iframes. */
  destroy(): void {
    this.#destroyed = true;
    this.pause();
    this.#audio.stop({ drop: true });
    for (const buffer of this.#buffers) buffer.iframe.remove();
  }

  readonly #tick = (now: number) => {
    if (!this.#playing || this.#destroyed) return;
    const source = this.#want.source;
    if (source) {
      const { fps, durationInFrames } = source.init.config;
      let target = this.#playFrom + Math.floor(((now - this.#playStart) * fps) / 1000);
      if (target >= durationInFrames) {
        if (this.#loop) {
          // Restart the clock at frame 0 so a long session does not drift.
          this.#playFrom = 0;
          this.#playStart = now;
          target = 0;
        } else {
          target = durationInFrames - 1;
          this.pause();
        }
      }
      if (target !== this.#want.frame) {
        this.#want = { ...this.#want, frame: target };
        // While the page is still busy with an earlier frame, the loop picks the newest target when it is free.
        void this.#pump();
      }
    }
    if (this.#playing) this.#raf = requestAnimationFrame(this.#tick);
  };

  /** Brings the visible iframe to the wanted source and frame, one step at a time, always towards the newest wish. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#destroyed) {
        const want = this.#want;
        const source = want.source;
        if (!source) break;
        const front = this.#buffers[this.#front] as Buffer;
        if (front.source !== source) {
          const back = this.#buffers[1 - this.#front] as Buffer;
          this.#callbacks.onBusy(true);
          const issues = await this.#mount(back, source, want.frame);
          if (this.#want.source !== source) continue;
          this.#swap();
          this.#mark(back, want.frame);
          this.#callbacks.onBusy(false);
          this.#callbacks.onIssues(issues, source.bundleHash);
          this.#callbacks.onFrame(want.frame);
          this.#syncAudio(back, want.frame);
        } else if (front.frame !== want.frame) {
          const issues = front.failed ? await this.#mount(front, source, want.frame) : await this.#render(front, want.frame);
          this.#mark(front, want.frame);
          this.#callbacks.onIssues(issues, source.bundleHash);
          this.#callbacks.onFrame(want.frame);
          this.#syncAudio(front, want.frame);
        } else {
          break;
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** While playing, brings the preview's sound to the frame just shown (seconds late by the playback clock). */
  #syncAudio(buffer: Buffer, frame: number): void {
    const source = this.#want.source;
    if (!this.#playing || this.#destroyed || !source || buffer.source !== source) return;
    const shownAt = this.#playStart + ((frame - this.#playFrom) * 1000) / source.init.config.fps;
    const late = Math.max(0, (performance.now() - shownAt) / 1000);
    // The page reports srcs resolved against its own URL; resolve again in case one is relative.
    const base = new URL(buffer.url ?? source.bundleUrl, document.baseURI);
    this.#audio.sync(
      buffer.audio.map((entry) => ({ ...entry, src: new URL(entry.src, base).href })),
      late,
    );
  }

  /** Exposes what the visible iframe shows (`data-frame`, `data-mount`, `data-seed`: the row key), for tests and debugging. */
  #mark(buffer: Buffer, frame: number): void {
    buffer.iframe.dataset['frame'] = String(frame);
    buffer.iframe.dataset['seed'] = buffer.source?.init.randomSeed ?? '';
    buffer.iframe.dataset['mount'] = String(this.#mounts);
  }

  #swap(): void {
    const old = this.#buffers[this.#front] as Buffer;
    this.#front = 1 - this.#front;
    const now = this.#buffers[this.#front] as Buffer;
    now.iframe.dataset['active'] = 'true';
    old.iframe.dataset['active'] = 'false';
  }

  /** Loads the bundle (when it is not already loaded), mounts the row and renders `frame`. */
  async #mount(buffer: Buffer, source: PreviewSource, frame: number): Promise<PreviewIssue[]> {
    this.#mounts++;
    buffer.source = source;
    buffer.frame = null;
    const { width, height } = source.init.config;
    buffer.iframe.style.width = `${width}px`;
    buffer.iframe.style.height = `${height}px`;
    try {
      await this.#load(buffer, source.bundleUrl);
      const api = buffer.api as PageApi;
      buffer.audio = [];
      let issues = await this.#call(buffer, () => api.init(source.init));
      if (issues.length === 0) issues = await this.#renderFrame(buffer, api, frame);
      buffer.frame = frame;
      buffer.failed = issues.length > 0;
      return issues;
    } catch (error) {
      buffer.frame = frame;
      buffer.failed = true;
      buffer.audio = [];
      return [{ message: describeThrown(error), stacks: buffer.caught.splice(0) }];
    }
  }

  async #render(buffer: Buffer, frame: number): Promise<PreviewIssue[]> {
    const issues = await this.#renderFrame(buffer, buffer.api as PageApi, frame);
    buffer.frame = frame;
    buffer.failed = issues.length > 0;
    return issues;
  }

  /** Renders `frame` in the page and keeps its `<Audio>` entries (none when it failed). */
  async #renderFrame(buffer: Buffer, api: PageApi, frame: number): Promise<PreviewIssue[]> {
    let audio: AudioFrameEntry[] = [];
    const issues = await this.#call(buffer, async () => {
      audio = (await api.renderFrame(frame)).audio;
    });
    buffer.audio = issues.length === 0 ? audio : [];
    return issues;
  }

  /** Runs one page call and collects what went wrong: its throw, the page host's errors, and caught stacks. */
  async #call(buffer: Buffer, call: () => Promise<unknown>): Promise<PreviewIssue[]> {
    const messages: string[] = [];
    try {
      await call();
    } catch (error) {
      messages.push(describeThrown(error));
    }
    messages.unshift(...(buffer.api?.takeErrors() ?? []));
    const stacks = buffer.caught.splice(0);
    return messages.map((message) => ({ message, stacks }));
  }

  /** Navigates the iframe to the bundle unless it already shows it, then hooks its console and error events. */
  async #load(buffer: Buffer, url: string): Promise<void> {
    if (buffer.url === url && buffer.api) return;
    buffer.api = null;
    buffer.url = null;
    buffer.caught = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        buffer.iframe.removeEventListener('load', onLoad);
        reject(new Error(`The template page did not load within ${LOAD_TIMEOUT_MS / 1000} s (${url}).`));
      }, LOAD_TIMEOUT_MS);
      const onLoad = () => {
        clearTimeout(timer);
        resolve();
      };
      buffer.iframe.addEventListener('load', onLoad, { once: true });
      buffer.iframe.src = url;
    });
    const win = buffer.iframe.contentWindow as (Window & typeof globalThis & Record<string, unknown>) | null;
    const api = win?.['__reelwright'] as PageApi | undefined;
    if (!win || !api) throw new Error('The page host did not start: window.__reelwright is missing (the template may have thrown while loading).');
    // React reports errors caught by the template's error boundary through console.error(error): keep their stacks.
    const original = win.console.error.bind(win.console);
    win.console.error = (...args: unknown[]) => {
      for (const arg of args) if (arg && typeof arg === 'object' && 'stack' in arg) buffer.caught.push(String((arg as Error).stack));
      original(...args);
    };
    win.addEventListener('error', (event) => {
      const error = event.error as Error | undefined;
      buffer.caught.push(error?.stack ?? `${event.message}\n    at ${event.filename}:${event.lineno}:${event.colno}`);
    });
    buffer.url = url;
    buffer.api = api;
  }
}

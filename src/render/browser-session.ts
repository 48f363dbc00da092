import { constants as fsConstants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import puppeteer, { ConnectionClosedError, ProtocolError } from 'puppeteer-core';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { CancelledError, RenderError } from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogLevel, OnLog } from '../log/index.js';

/** Chromium used when neither `executablePath` nor `REELWRIGHT_CHROMIUM` is set (Debian's `chromium-headless-shell`). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium-headless-shell';
/** Deadline for starting the browser and detecting its capture method. */
export const DEFAULT_LAUNCH_TIMEOUT_MS = 30_000;
/** Deadline for one page call (navigation, `evaluate`, `capture`) unless the call sets its own. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;
/** JPEG quality of `capture()` when none is given. */
export const DEFAULT_JPEG_QUALITY = 90;

/**
 * Flags that make `HeadlessExperimental.beginFrame` capture deterministic (measured in DESIGN.md,
 * "Facts measured on this machine"). Only the headless shell honours them.
 */
const BEGIN_FRAME_FLAGS = [
  '--enable-begin-frame-control',
  '--deterministic-mode',
  '--run-all-compositor-stages-before-draw',
  '--disable-new-content-rendering-timeout',
  '--disable-threaded-animation',
  '--disable-threaded-scrolling',
  '--disable-checker-imaging',
] as const;

/** No sandbox (we run as root in containers), no GPU, no network chatter, no first-run work: any headless launch here. */
export const BASE_BROWSER_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** Deterministic text rasterisation: without these, glyph hinting alone moves text edges by a pixel between runs. */
export const TEXT_RENDERING_FLAGS = ['--font-render-hinting=none', '--disable-font-subpixel-positioning', '--disable-lcd-text', '--force-color-profile=srgb'] as const;

/** Flags used in both capture methods: the base flags, deterministic text, no scrollbars, muted audio. */
const COMMON_FLAGS = [
  ...BASE_BROWSER_FLAGS,
  '--disable-dev-shm-usage',
  '--disable-domain-reliability',
  ...TEXT_RENDERING_FLAGS,
  '--force-device-scale-factor=1',
  '--hide-scrollbars',
  '--mute-audio',
  '--autoplay-policy=no-user-gesture-required',
] as const;

/** beginFrame calls per capture before a missing image is an error (see `capture`). */
const CAPTURE_ATTEMPTS = 5;
/**
 * Pause before the second capture attempt, doubled for each later one (10, 20, 40, 80 ms: 150 ms at most). Back-to-back
 * retries gave a renderer that is still producing its first frame at a new viewport size no time to do so: CI saw all
 * five come back empty right after `setViewport` on a loaded 2-core machine.
 */
const CAPTURE_RETRY_PAUSE_MS = 10;

/** Pause between two keep-alive frames while waiting on the page, so an idle pump does not spin a core. */
const PUMP_INTERVAL_MS = 2;

/**
 * How frames are captured.
 * - `begin-frame`: `HeadlessExperimental.beginFrame` with a screenshot; deterministic, fastest (headless shell only).
 * - `screenshot`: `Page.captureScreenshot`; works in any Chromium, slower, the page paints on its own.
 */
export type CaptureMethod = 'begin-frame' | 'screenshot';

/**
 * Where a session stands.
 * - `ready`: calls are accepted.
 * - `timed-out`: a call missed its deadline; the page may be stuck or hold stale state. Calls still run; a successful
 *   `navigate` loads a fresh document and returns to `ready`, otherwise replace the session.
 * - `crashed`: the browser or the page died; every call fails with `RW_BROWSER_CRASHED`.
 * - `closed`: `close()` was called.
 */
export type BrowserSessionState = 'ready' | 'timed-out' | 'crashed' | 'closed';

/** Options for `BrowserSession.launch`. */
export type BrowserSessionOptions = {
  /** Chromium binary; defaults to `REELWRIGHT_CHROMIUM`, then `DEFAULT_CHROMIUM_PATH`. */
  executablePath?: string | null;
  /** Initial viewport width in CSS pixels (device scale factor is always 1). */
  width: number;
  /** Initial viewport height in CSS pixels. */
  height: number;
  /** `auto` (default) uses `begin-frame` when the browser supports it, else `screenshot`. */
  captureMethod?: 'auto' | CaptureMethod;
  /** Deadline for launching; defaults to `DEFAULT_LAUNCH_TIMEOUT_MS`. */
  launchTimeoutMs?: number;
  /** Log level of this session's verbose lines; defaults to `info` (quiet). */
  logLevel?: LogLevel;
  /** Receives log events instead of stderr. */
  onLog?: OnLog | null;
  /** Aborts the launch; the browser is closed. */
  signal?: AbortSignal | null;
};

/** Deadline, cancellation and label shared by every page call. */
export type PageCallOptions = {
  /** What the call is for, used in errors: `"frame 12"`, `"loading the template"`. */
  what?: string;
  /** Deadline in milliseconds; defaults to `DEFAULT_CALL_TIMEOUT_MS`. */
  timeoutMs?: number;
  signal?: AbortSignal | null;
};

/** Options for `BrowserSession.navigate`. */
export type NavigateOptions = PageCallOptions & {
  /** URL to load; resolves once the page's `load` event fired. */
  url: string;
};

/** Options for `BrowserSession.evaluate`. */
export type EvaluateOptions = PageCallOptions & {
  /**
   * A JavaScript expression evaluated in the page; a promise result is awaited. A string (not a function) so that
   * transpiler helpers injected into Node-side functions (tsx, vitest) never reach the page. Build it with
   * `JSON.stringify` for values: `window.__reelwright.renderFrame(${JSON.stringify(frame)})`.
   */
  expression: string;
  /**
   * Milliseconds to wait before keeping the page painting with `beginFrame` while the result is pending (begin-frame mode).
   * `requestAnimationFrame`, `<video>` seeks and some decodes only progress when frames are produced. Defaults to 0;
   * null never pumps (for quick probes of a page that may be stuck).
   */
  pumpAfterMs?: number | null;
};

/** Options for `BrowserSession.capture`. */
export type CaptureOptions = PageCallOptions & {
  /** JPEG quality 0–100; defaults to `DEFAULT_JPEG_QUALITY`. */
  quality?: number;
};

/** Options for `BrowserSession.setViewport`. */
export type SetViewportOptions = { width: number; height: number };

/** Memory held by a session, for recycling browsers that grow. */
export type BrowserMemoryUsage = {
  /** Used JS heap of the page (`Performance.getMetrics` `JSHeapUsedSize`). */
  jsHeapUsedBytes: number;
  /** Total JS heap of the page. */
  jsHeapTotalBytes: number;
  /** Resident memory of the browser and all its child processes, or null where `/proc` is not available. */
  rssBytes: number | null;
  /** Number of processes counted in `rssBytes`. */
  processCount: number;
};

type Deferred<T> = { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };

function defer<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function checkSize(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > 16384) {
    throw new RenderError(`${name} must be a positive integer up to 16384, got ${JSON.stringify(value)}.`, { code: 'RW_INVALID_OPTION' });
  }
}

function resolveExecutable(option: string | null | undefined): { path: string; source: string } {
  if (option) return { path: option, source: 'options.executablePath' };
  const fromEnv = process.env['REELWRIGHT_CHROMIUM'];
  if (fromEnv) return { path: fromEnv, source: 'REELWRIGHT_CHROMIUM' };
  return { path: DEFAULT_CHROMIUM_PATH, source: 'the default path' };
}

/** Sums VmRSS of `rootPid` and its descendants from `/proc`; null when `/proc` is unreadable (not Linux). */
async function readProcessTreeRss(rootPid: number): Promise<{ rssBytes: number | null; processCount: number }> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return { rssBytes: null, processCount: 0 };
  }
  const parentOf = new Map<number, number>();
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const stat = await readFile(`/proc/${name}/stat`, 'utf8');
          // Field 4 is the ppid; the command name (field 2) may hold spaces, so split after its closing ")".
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          parentOf.set(Number(name), Number(fields[1]));
        } catch {
          // The process exited while we listed /proc: nothing to count.
        }
      }),
  );
  const tree = new Set<number>([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  let counted = 0;
  for (const pid of tree) {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      if (match) {
        total += Number(match[1]) * 1024;
        counted += 1;
      }
    } catch {
      // Exited between the two reads: it holds no memory any more.
    }
  }
  return { rssBytes: counted > 0 ? total : null, processCount: counted };
}

/**
 * One headless Chromium with one page, driven for deterministic frame capture.
 *
 * With `begin-frame` capture the page never paints on its own: every wait on the page (navigation, page promises)
 * keeps issuing `HeadlessExperimental.beginFrame` without a screenshot until it settles. One page per browser,
 * because a second page in the same browser gets no begin-frame screenshots.
 *
 * Every call has a deadline (`RW_FRAME_TIMEOUT`), honours an `AbortSignal` (`CancelledError`), and fails with
 * `RW_BROWSER_CRASHED` once the browser disconnects or the page crashes.
 *
 * @example
 * await using session = await BrowserSession.launch({ width: 1280, height: 720 });
 * await session.navigate({ url });
 * await session.evaluate({ expression: 'document.title = "x"' });
 * const jpeg = await session.capture({ quality: 90, what: 'frame 0' });
 * @see renderVideo
 */
export class BrowserSession {
  readonly #browser: Browser;
  readonly #page: Page;
  readonly #cdp: CDPSession;
  readonly #logLevel: LogLevel;
  readonly #onLog: OnLog | null;
  /** Rejecters of the calls in flight, failed at once when the browser crashes. */
  readonly #inFlight = new Set<(error: unknown) => void>();
  #state: BrowserSessionState = 'ready';
  #crashError: RenderError | null = null;
  #url: string | null = null;
  #width: number;
  #height: number;
  #closing: Promise<void> | null = null;
  /** How frames are captured, decided once at launch. */
  readonly captureMethod: CaptureMethod;
  /** Path of the Chromium binary in use. */
  readonly executablePath: string;

  private constructor(init: {
    browser: Browser;
    page: Page;
    cdp: CDPSession;
    captureMethod: CaptureMethod;
    executablePath: string;
    width: number;
    height: number;
    logLevel: LogLevel;
    onLog: OnLog | null;
  }) {
    this.#browser = init.browser;
    this.#page = init.page;
    this.#cdp = init.cdp;
    this.captureMethod = init.captureMethod;
    this.executablePath = init.executablePath;
    this.#width = init.width;
    this.#height = init.height;
    this.#logLevel = init.logLevel;
    this.#onLog = init.onLog;
    this.#browser.on('disconnected', () => this.#markCrashed('the browser process exited or its connection closed'));
    // With the pipe transport, a killed browser does not always close the pipe at once (its children hold it open).
    this.#browser.process()?.once('exit', (code, signal) => this.#markCrashed(`the browser process exited (${signal ?? `code ${code}`})`));
    this.#page.on('error', (error: Error) => this.#markCrashed(`the page crashed (${error.message})`));
  }

  /**
   * Starts Chromium and opens its page at `about:blank` with the given viewport.
   * Throws `RW_CHROMIUM_MISSING` when the binary is absent, `RW_BROWSER_LAUNCH_FAILED` when it does not start.
   */
  static async launch(options: BrowserSessionOptions): Promise<BrowserSession> {
    checkSize('options.width', options.width);
    checkSize('options.height', options.height);
    const requested = options.captureMethod ?? 'auto';
    if (!['auto', 'begin-frame', 'screenshot'].includes(requested)) {
      throw new RenderError(`options.captureMethod must be "auto", "begin-frame" or "screenshot", got ${JSON.stringify(requested)}.`, {
        code: 'RW_INVALID_OPTION',
      });
    }
    const signal = options.signal ?? null;
    if (signal?.aborted) throw new CancelledError('Launching Chromium was cancelled.', signal.reason);
    const executable = resolveExecutable(options.executablePath);
    try {
      await access(executable.path, fsConstants.X_OK);
    } catch (error) {
      throw new RenderError(
        `Chromium was not found at ${executable.path} (from ${executable.source}). ` +
          'Install it with: sudo apt-get install -y chromium-headless-shell, or set REELWRIGHT_CHROMIUM to a Chromium binary.',
        { code: 'RW_CHROMIUM_MISSING', cause: error },
      );
    }
    const logLevel = options.logLevel ?? 'info';
    const onLog = options.onLog ?? null;
    const launchTimeoutMs = options.launchTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
    const first = await BrowserSession.#start({
      executablePath: executable.path,
      method: requested === 'screenshot' ? 'screenshot' : 'begin-frame',
      width: options.width,
      height: options.height,
      logLevel,
      onLog,
      launchTimeoutMs,
      signal,
    });
    if (first.captureMethod === 'begin-frame' && requested === 'auto' && !(await first.#supportsBeginFrame())) {
      log.verbose(
        { logLevel, onLog, tag: 'BrowserSession.launch()' },
        `${executable.path} does not support HeadlessExperimental.beginFrame; falling back to Page.captureScreenshot.`,
      );
      await first.close();
      return BrowserSession.#start({
        executablePath: executable.path,
        method: 'screenshot',
        width: options.width,
        height: options.height,
        logLevel,
        onLog,
        launchTimeoutMs,
        signal,
      });
    }
    if (first.captureMethod === 'begin-frame' && requested === 'begin-frame' && !(await first.#supportsBeginFrame())) {
      await first.close();
      throw new RenderError(
        `${executable.path} does not support HeadlessExperimental.beginFrame (only chromium-headless-shell does). ` +
          'Use captureMethod "auto" or "screenshot", or install chromium-headless-shell.',
        { code: 'RW_BROWSER_LAUNCH_FAILED' },
      );
    }
    return first;
  }

  static async #start(init: {
    executablePath: string;
    method: CaptureMethod;
    width: number;
    height: number;
    logLevel: LogLevel;
    onLog: OnLog | null;
    launchTimeoutMs: number;
    signal: AbortSignal | null;
  }): Promise<BrowserSession> {
    const args = [
      ...(init.method === 'begin-frame' ? BEGIN_FRAME_FLAGS : []),
      ...COMMON_FLAGS,
      `--window-size=${init.width},${init.height}`,
    ];
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: init.executablePath,
        headless: 'shell',
        // stdio pipe instead of a TCP debugging port: nothing listens on the network.
        pipe: true,
        args,
        defaultViewport: null,
        timeout: init.launchTimeoutMs,
        protocolTimeout: 0,
        // The CLI and the pool own signals; a library must not exit the process on SIGINT.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      throw new RenderError(`Chromium at ${init.executablePath} did not start: ${(error as Error).message}`, {
        code: 'RW_BROWSER_LAUNCH_FAILED',
        cause: error,
      });
    }
    try {
      if (init.signal?.aborted) throw new CancelledError('Launching Chromium was cancelled.', init.signal.reason);
      const [page] = await browser.pages();
      // The first tab is the one the headless shell created under begin-frame control (new targets are not).
      if (!page) throw new RenderError('Chromium started without a page.', { code: 'RW_BROWSER_LAUNCH_FAILED' });
      const cdp = await page.createCDPSession();
      const session = new BrowserSession({
        browser,
        page,
        cdp,
        captureMethod: init.method,
        executablePath: init.executablePath,
        width: init.width,
        height: init.height,
        logLevel: init.logLevel,
        onLog: init.onLog,
      });
      // Metrics are per CDP session: enable them on ours for getMemoryUsage().
      await session.#guard(cdp.send('Performance.enable'), {
        what: 'enabling metrics',
        timeoutMs: init.launchTimeoutMs,
        signal: init.signal,
        pumpAfterMs: null,
      });
      await session.#guard(page.setViewport({ width: init.width, height: init.height, deviceScaleFactor: 1 }), {
        what: 'setting the viewport',
        timeoutMs: init.launchTimeoutMs,
        signal: init.signal,
        pumpAfterMs: null,
      });
      log.verbose(
        { logLevel: init.logLevel, onLog: init.onLog, tag: 'BrowserSession.launch()' },
        `started ${init.executablePath} (pid ${browser.process()?.pid ?? '?'}), capture ${init.method}`,
      );
      return session;
    } catch (error) {
      await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
      throw error;
    }
  }

  /** True when a beginFrame is accepted (the headless shell launched with begin-frame control). */
  async #supportsBeginFrame(): Promise<boolean> {
    try {
      await this.#guard(this.#cdp.send('HeadlessExperimental.beginFrame', {}), {
        what: 'probing beginFrame',
        timeoutMs: 10_000,
        signal: null,
        pumpAfterMs: null,
      });
      return true;
    } catch (error) {
      if (error instanceof RenderError && error.code !== 'RW_PROTOCOL_ERROR') throw error;
      return false;
    }
  }

  /** Where the session stands; see `BrowserSessionState`. */
  get state(): BrowserSessionState {
    return this.#state;
  }

  /** URL last navigated to (null before the first `navigate`). */
  get url(): string | null {
    return this.#url;
  }

  /** Current viewport size. */
  get viewport(): { width: number; height: number } {
    return { width: this.#width, height: this.#height };
  }

  /** Process id of the browser, or null when unknown. */
  get pid(): number | null {
    return this.#browser.process()?.pid ?? null;
  }

  /**
   * The puppeteer page, for tests that need to break it on purpose.
   * @internal
   */
  get _page(): Page {
    return this.#page;
  }

  /** Resizes the page (device scale factor 1). A no-op when the size is unchanged. */
  async setViewport(options: SetViewportOptions): Promise<void> {
    checkSize('options.width', options.width);
    checkSize('options.height', options.height);
    if (options.width === this.#width && options.height === this.#height) return;
    await this.#guard(this.#page.setViewport({ width: options.width, height: options.height, deviceScaleFactor: 1 }), {
      what: `resizing to ${options.width}×${options.height}`,
      timeoutMs: DEFAULT_CALL_TIMEOUT_MS,
      signal: null,
      pumpAfterMs: 0,
    });
    this.#width = options.width;
    this.#height = options.height;
  }

  /** Loads `url` and waits for its `load` event, painting frames meanwhile. Fails with `RW_PAGE_LOAD_FAILED` on a network error. */
  async navigate(options: NavigateOptions): Promise<void> {
    const what = options.what ?? `loading ${options.url}`;
    this.#url = null;
    let response;
    try {
      response = await this.#guard(this.#page.goto(options.url, { waitUntil: 'load', timeout: 0 }), {
        what,
        timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        signal: options.signal ?? null,
        pumpAfterMs: 0,
      });
    } catch (error) {
      if (error instanceof RenderError && error.code === 'RW_PROTOCOL_ERROR') {
        throw new RenderError(`Chromium could not load ${options.url} (${what}): ${(error.cause as Error).message}`, {
          code: 'RW_PAGE_LOAD_FAILED',
          cause: error.cause,
        });
      }
      throw error;
    }
    if (response && !response.ok()) {
      throw new RenderError(`${options.url} answered HTTP ${response.status()} (${what}).`, { code: 'RW_PAGE_LOAD_FAILED' });
    }
    this.#url = options.url;
    // A fresh document: whatever the page was stuck on is gone.
    if (this.#state === 'timed-out') this.#state = 'ready';
  }

  /**
   * Evaluates a JavaScript expression in the page and returns its JSON value (promises are awaited).
   * A page-side exception fails with `RW_PAGE_ERROR` carrying the page's message.
   */
  async evaluate<T = unknown>(options: EvaluateOptions): Promise<T> {
    return (await this.#guard(this.#page.evaluate(options.expression), {
      what: options.what ?? 'evaluating in the page',
      timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      signal: options.signal ?? null,
      pumpAfterMs: options.pumpAfterMs === undefined ? 0 : options.pumpAfterMs,
      pageErrors: true,
    })) as T;
  }

  /** Paints one frame and returns it as JPEG bytes. */
  async capture(options: CaptureOptions = {}): Promise<Buffer> {
    const quality = options.quality ?? DEFAULT_JPEG_QUALITY;
    if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
      throw new RenderError(`options.quality must be an integer from 0 to 100, got ${JSON.stringify(quality)}.`, { code: 'RW_INVALID_OPTION' });
    }
    const guard = {
      what: options.what ?? 'capturing a frame',
      timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      signal: options.signal ?? null,
      pumpAfterMs: null,
    };
    if (this.captureMethod === 'begin-frame') {
      // Now and then (seen right after a navigation or a resize on a busy machine) Chromium answers a beginFrame with
      // `hasDamage: false` and no image; a later frame has it. Retry a few times, pausing between, before giving up.
      for (let attempt = 1; attempt <= CAPTURE_ATTEMPTS; attempt++) {
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, CAPTURE_RETRY_PAUSE_MS * 2 ** (attempt - 2)));
        const result = await this.#guard(this.#cdp.send('HeadlessExperimental.beginFrame', { screenshot: { format: 'jpeg', quality } }), guard);
        if (result.screenshotData) return Buffer.from(result.screenshotData, 'base64');
        log.trace({ logLevel: this.#logLevel, onLog: this.#onLog, tag: 'BrowserSession.capture()' }, `no image on attempt ${attempt} for ${guard.what}`);
      }
      throw new RenderError(
        `beginFrame returned no image ${CAPTURE_ATTEMPTS} times in a row for ${guard.what}. A second page open in the same browser ` +
          'takes begin-frame screenshots away; keep one page per browser.',
        { code: 'RW_CAPTURE_FAILED' },
      );
    }
    const result = await this.#guard(
      this.#cdp.send('Page.captureScreenshot', { format: 'jpeg', quality, optimizeForSpeed: true, captureBeyondViewport: false }),
      guard,
    );
    return Buffer.from(result.data, 'base64');
  }

  /** Reads the page's JS heap and the browser's resident memory (all its processes). */
  async getMemoryUsage(): Promise<BrowserMemoryUsage> {
    const { metrics } = await this.#guard(this.#cdp.send('Performance.getMetrics'), {
      what: 'reading memory metrics',
      timeoutMs: DEFAULT_CALL_TIMEOUT_MS,
      signal: null,
      pumpAfterMs: null,
    });
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    const pid = this.pid;
    const rss = pid === null ? { rssBytes: null, processCount: 0 } : await readProcessTreeRss(pid);
    return { jsHeapUsedBytes: metric('JSHeapUsedSize'), jsHeapTotalBytes: metric('JSHeapTotalSize'), ...rss };
  }

  /** Closes the browser (killing it if it does not exit within 5 s). Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#state = 'closed';
      const process = this.#browser.process();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          this.#browser.close(),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, 5_000);
          }),
        ]);
      } catch (error) {
        // A crashed browser cannot close cleanly; the kill below finishes the job.
        log.verbose({ logLevel: this.#logLevel, onLog: this.#onLog, tag: 'BrowserSession.close()' }, 'browser.close() failed:', error);
      } finally {
        clearTimeout(timer);
      }
      if (process && process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
    })();
    return this.#closing;
  }

  /** Same as `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #markCrashed(reason: string): void {
    if (this.#state === 'closed' || this.#state === 'crashed') return;
    this.#state = 'crashed';
    this.#crashError = new RenderError(
      `Chromium crashed: ${reason}. The session cannot be used any more; start a new one.`,
      { code: 'RW_BROWSER_CRASHED' },
    );
    log.verbose({ logLevel: this.#logLevel, onLog: this.#onLog, tag: 'BrowserSession' }, this.#crashError.message);
    for (const reject of this.#inFlight) reject(this.#crashError);
  }

  #checkUsable(what: string): void {
    if (this.#state === 'crashed') throw this.#crashError!;
    if (this.#state === 'closed') throw new RenderError(`The browser session is closed (${what}).`, { code: 'RW_BROWSER_CLOSED' });
  }

  /**
   * Runs one page call with a deadline, cancellation and crash detection; in begin-frame mode keeps frames coming
   * while it is pending (after `pumpAfterMs`; null means never).
   */
  async #guard<T>(
    work: Promise<T>,
    options: { what: string; timeoutMs: number; signal: AbortSignal | null; pumpAfterMs: number | null; pageErrors?: boolean },
  ): Promise<T> {
    // The work may settle after we gave up on it: never let that become an unhandled rejection.
    work.catch(() => undefined);
    this.#checkUsable(options.what);
    const { signal } = options;
    if (signal?.aborted) throw new CancelledError(`Cancelled before ${options.what}.`, signal.reason);
    // One deferred per call, settled by whichever comes first: the work, the deadline, the signal or a crash.
    // (Racing every call against one long-lived crash promise would pile up reactions on it for the whole batch.)
    const outcome = defer<T>();
    let settled = false;
    work.then(outcome.resolve, outcome.reject);
    const timer = setTimeout(() => {
      if (this.#state === 'ready') this.#state = 'timed-out';
      outcome.reject(
        new RenderError(
          `${options.what} did not finish within ${seconds(options.timeoutMs)}. The page may be waiting on media that never loads ` +
            'or a promise that never resolves, or be stuck in a loop. Raise the frame timeout if the template is just slow.',
          { code: 'RW_FRAME_TIMEOUT' },
        ),
      );
    }, options.timeoutMs);
    const onAbort = () => outcome.reject(new CancelledError(`Cancelled during ${options.what}.`, signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#inFlight.add(outcome.reject);
    const pump =
      options.pumpAfterMs !== null && this.captureMethod === 'begin-frame'
        ? this.#pump(outcome.promise, options.pumpAfterMs, () => settled)
        : Promise.resolve();
    try {
      return await outcome.promise;
    } catch (error) {
      throw this.#translate(error, options);
    } finally {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#inFlight.delete(outcome.reject);
      // The next call may be a capture: no keep-alive beginFrame may still be in flight then.
      await pump;
    }
  }


  /** Issues screenshot-less beginFrames until `isSettled()`; errors end the pump (crash detection reports them). */
  async #pump(pending: Promise<unknown>, afterMs: number, isSettled: () => boolean): Promise<void> {
    const wait = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        pending.then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          () => {
            clearTimeout(timer);
            resolve();
          },
        );
      });
    if (afterMs > 0) await wait(afterMs);
    while (!isSettled() && this.#state !== 'crashed' && this.#state !== 'closed') {
      try {
        await this.#cdp.send('HeadlessExperimental.beginFrame', {});
      } catch (error) {
        log.trace({ logLevel: this.#logLevel, onLog: this.#onLog, tag: 'BrowserSession' }, 'keep-alive beginFrame failed:', error);
        return;
      }
      if (!isSettled()) await wait(PUMP_INTERVAL_MS);
    }
  }

  /** Turns puppeteer/protocol failures into reelwright errors. */
  #translate(error: unknown, options: { what: string; pageErrors?: boolean }): unknown {
    if (error instanceof RenderError || error instanceof CancelledError) return error;
    // A closed target or connection races the crash events: prefer the crash explanation.
    if (this.#state === 'crashed') return this.#crashError;
    if (!this.#browser.connected) {
      this.#markCrashed('the browser connection closed');
      return this.#crashError;
    }
    const message = error instanceof Error ? error.message : String(error);
    // puppeteer does not export TargetCloseError (a ProtocolError subclass), so its class name is the only handle.
    if (error instanceof ConnectionClosedError || (error instanceof ProtocolError && error.name === 'TargetCloseError')) {
      this.#markCrashed(message);
      return this.#crashError;
    }
    if (options.pageErrors && !(error instanceof ProtocolError)) {
      return new RenderError(`The page threw during ${options.what}: ${message}`, { code: 'RW_PAGE_ERROR', cause: error });
    }
    return new RenderError(`Chromium rejected ${options.what}: ${message}`, { code: 'RW_PROTOCOL_ERROR', cause: error });
  }
}

/**
 * The render worker: the body of one piscina thread. It owns one warm Chromium (`BrowserSession`) and one loopback
 * file server, kept across tasks, and renders whole row × variant tasks with `renderVideo`.
 *
 * Loaded through `render-worker-entry.mjs` (which registers tsx first); never import it from the main thread.
 */
import { createHash } from 'node:crypto';
import { stop as stopEsbuild } from 'esbuild';
import path from 'node:path';
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { CancelledError, ReelwrightError, RenderError } from '../errors/index.js';
import { log } from '../log/index.js';
import type { LogEvent, OnLog } from '../log/index.js';
import { BrowserSession, renderVideo, serveFiles } from '../render/index.js';
import type { ClipFrameSet, FileServer } from '../render/index.js';
import { loadTemplate } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';
import { readChildrenCpuMs, readProcessTree, readThreadCpuMs } from './read-process-stats.js';
import type { RenderTask } from './types.js';
import type {
  ChannelMessage,
  PoolCommand,
  RenderWorkerData,
  RenderWorkerRequest,
  RenderWorkerResponse,
  SerializedError,
  WarmUpResponse,
  WorkerEvent,
  WorkerRequest,
  WorkerSnapshot,
} from './worker-protocol.js';

/** Compiled templates kept per worker (by entry and bundle hash); a batch uses one, the studio a few. */
const TEMPLATE_CACHE_SIZE = 8;
/** Frames between two CPU samples of the task's ffmpeg (it exits with the render, so it is sampled while it runs). */
const FFMPEG_SAMPLE_EVERY = 15;

/**
 * Errors after which the browser is not trusted any more: it crashed, a page call hung (the page may be stuck in a
 * loop), or it could not start. The worker replaces the browser before its next task.
 */
const BROWSER_FAULTS = new Set(['RW_BROWSER_CRASHED', 'RW_FRAME_TIMEOUT', 'RW_BROWSER_CLOSED', 'RW_BROWSER_LAUNCH_FAILED', 'RW_CAPTURE_FAILED', 'RW_PROTOCOL_ERROR']);

const config = workerData as RenderWorkerData;

/** One warm browser and the file server its page loads from (a new server with each browser keeps its mount table small). */
type Browser = { session: BrowserSession; server: FileServer; renders: number };

/** The browser in use, or null before the first task and after a recycle. */
let current: Browser | null = null;
/** A launch in progress (tasks and `warm-up` share it). */
let launching: Promise<Browser> | null = null;
/** The previous browser closing in the background after a recycle; awaited before the next launch. */
let closing: Promise<void> = Promise.resolve();
let browserLaunches = 0;
let renders = 0;
let browserRssBytes: number | null = null;
let peakBrowserRssBytes: number | null = null;
let currentJobId: string | null = null;
/** The port of the running task: log events go there while a task runs, else to the channel. */
let currentPort: MessagePort | null = null;
const templates = new Map<string, Promise<TemplateDefinition>>();
const channel = new BroadcastChannel(config.channel);
// The channel must not keep a worker alive on its own: piscina owns the thread's lifetime.
channel.unref();

const onLog: OnLog | null = config.forwardLogs
  ? (event: LogEvent) => {
      if (currentPort) post(currentPort, { type: 'log', event });
      else channel.postMessage({ type: 'log', event } satisfies ChannelMessage);
    }
  : null;
const logOptions = { logLevel: config.logLevel, onLog, tag: `render worker ${threadId}` };

function post(port: MessagePort, message: WorkerEvent): void {
  port.postMessage(message);
}

/** The worker's state; `idle` reports no job (for answers, which are read after the task ended). */
function snapshot(idle = false): WorkerSnapshot {
  return {
    threadId,
    browserPid: current?.session.pid ?? null,
    browserLaunches,
    renders,
    rendersOnBrowser: current?.renders ?? 0,
    browserRssBytes,
    peakBrowserRssBytes,
    jobId: idle ? null : currentJobId,
  };
}

function serialize(error: unknown): SerializedError {
  if (error instanceof ReelwrightError) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, code: 'RW_INTERNAL', message: error.stack ?? error.message };
  return { name: 'Error', code: 'RW_INTERNAL', message: String(error) };
}

/** Closes the current browser in the background; the next `ensureBrowser` waits for it (so two never run at once). */
function discardBrowser(why: string): void {
  const browser = current;
  current = null;
  browserRssBytes = null;
  if (!browser) return;
  log.verbose(logOptions, `replacing the browser (pid ${browser.session.pid ?? '?'}) after ${browser.renders} renders: ${why}`);
  const previous = closing;
  closing = (async () => {
    await previous;
    await browser.session.close();
    await browser.server.close();
  })().catch((error: unknown) => {
    // Closing a crashed browser can fail; BrowserSession.close already killed the process.
    log.verbose(logOptions, 'closing the old browser failed:', error);
  });
}

/** The warm browser, launching one (at `width`×`height`, resized per render later) when there is none or it broke. */
async function ensureBrowser(width: number, height: number): Promise<Browser> {
  if (current && current.session.state !== 'ready') discardBrowser(`its session is ${current.session.state}`);
  if (current) return current;
  launching ??= (async () => {
    try {
      await closing;
      const session = await BrowserSession.launch({ width, height, executablePath: config.chromiumPath, logLevel: config.logLevel, onLog });
      let server: FileServer;
      try {
        server = await serveFiles();
      } catch (error) {
        await session.close();
        throw error;
      }
      browserLaunches++;
      current = { session, server, renders: 0 };
      return current;
    } finally {
      launching = null;
    }
  })();
  return launching;
}

/** Loads the template in Node (duration, fps, variants), compiled once per entry and bundle hash. */
function loadCachedTemplate(task: RenderTask): Promise<TemplateDefinition> {
  const key = `${task.templateEntry}\0${task.bundleHash}`;
  let loaded = templates.get(key);
  if (!loaded) {
    loaded = loadTemplate({ entry: task.templateEntry, cacheDir: task.cacheDir }).then((result) => result.definition);
    // A failed load is not cached: the next task tries again (the author may have fixed the file).
    loaded.catch(() => templates.delete(key));
    templates.set(key, loaded);
    if (templates.size > TEMPLATE_CACHE_SIZE) templates.delete(templates.keys().next().value!);
  }
  return loaded;
}

/** Serves the task's local media: media props become URLs, clip frame folders become `ClipFrameSet` URL prefixes. */
function mountMedia(task: RenderTask, server: FileServer): { props: Record<string, unknown>; clipFrames: Record<string, ClipFrameSet> } {
  const props: Record<string, unknown> = { ...task.props };
  for (const name of task.mediaProps) {
    const value = props[name];
    if (value === null || value === undefined || value === '') continue;
    if (typeof value !== 'string' || !path.isAbsolute(value)) {
      throw new RenderError(
        `Job ${task.jobId}: prop "${name}" is listed in mediaProps, so it must be an absolute local file path; got ${JSON.stringify(value)}. ` +
          'Download remote media and resolve relative paths before building the task (runBatch does).',
        { code: 'RW_INVALID_OPTION' },
      );
    }
    props[name] = server.mountFile(value);
  }
  const clipFrames: Record<string, ClipFrameSet> = {};
  for (const [file, frames] of Object.entries(task.clipFrames)) {
    const prefix = `frames/${createHash('sha256').update(path.resolve(frames.dir)).digest('hex').slice(0, 16)}`;
    // The key is the clip's URL exactly as the page sees it in props (mountFile gives one URL per absolute path).
    clipFrames[server.mountFile(file)] = { urlPrefix: server.mount(prefix, frames.dir), count: frames.count, fps: frames.fps };
  }
  return { props, clipFrames };
}

/** Checks the browser's memory after a render and replaces it when it is due (render count) or too big (RSS). */
function maybeRecycle(browser: Browser): void {
  const pid = browser.session.pid;
  const tree = pid === null ? null : readProcessTree(pid);
  browserRssBytes = tree?.rssBytes ?? null;
  if (browserRssBytes !== null) peakBrowserRssBytes = Math.max(peakBrowserRssBytes ?? 0, browserRssBytes);
  if (browser.renders >= config.recycleAfterRenders) discardBrowser(`it reached ${config.recycleAfterRenders} renders`);
  else if (browserRssBytes !== null && browserRssBytes > config.maxBrowserRssBytes) {
    discardBrowser(`it holds ${Math.round(browserRssBytes / 2 ** 20)} MB, over the ${Math.round(config.maxBrowserRssBytes / 2 ** 20)} MB limit`);
  }
}

/**
 * The piscina task function: renders one task, or launches the browser ahead of time (`warm-up`).
 * Never throws for a failed render: the answer says `failed` with the error, so that the class and code survive the
 * thread boundary (a thrown error would arrive as a plain `Error`).
 */
export default async function handleRequest(request: WorkerRequest): Promise<RenderWorkerResponse | WarmUpResponse> {
  switch (request.type) {
    case 'render':
      return renderTask(request);
    case 'warm-up':
      try {
        await ensureBrowser(request.width, request.height);
        return { type: 'warm', worker: snapshot(), error: null };
      } catch (error) {
        return { type: 'warm', worker: snapshot(), error: serialize(error) };
      }
  }
}

async function renderTask(request: RenderWorkerRequest): Promise<RenderWorkerResponse> {
  const { task, port } = request;
  const controller = new AbortController();
  port.on('message', (command: PoolCommand) => {
    if (command.type === 'cancel') controller.abort(new CancelledError(`Rendering job ${task.jobId} was cancelled.`));
  });
  currentJobId = task.jobId;
  currentPort = port;
  post(port, { type: 'started', worker: snapshot() });
  let browser: Browser | null = null;
  try {
    const template = await loadCachedTemplate(task);
    const size = template.variants[task.variant] ?? { width: template.width, height: template.height };
    browser = await ensureBrowser(size.width, size.height);
    post(port, { type: 'worker', worker: snapshot() });
    if (controller.signal.aborted) throw controller.signal.reason;

    // CPU of this render: this thread, the browser's processes, and the ffmpeg it spawns (sampled while it runs,
    // because it exits with the render; its last few ms of flushing are missed). Browser launches are not counted.
    const browserPid = browser.session.pid;
    const threadBefore = readThreadCpuMs();
    const browserBefore = browserPid === null ? null : readProcessTree(browserPid);
    let ffmpegCpuMs: number | null = null;

    const { props, clipFrames } = mountMedia(task, browser.server);
    const result = await renderVideo({
      session: browser.session,
      server: browser.server,
      bundle: { dir: task.bundleDir, hash: task.bundleHash },
      template,
      variant: task.variant,
      props,
      clipFrames,
      outFile: task.outFile,
      randomSeed: task.randomSeed,
      jpegQuality: task.jpegQuality,
      frameReuse: task.frameReuse,
      frameTimeoutMs: task.frameTimeoutMs,
      signal: controller.signal,
      logLevel: config.logLevel,
      onLog,
      onProgress: (progress) => {
        if (progress.stage !== 'frames' || progress.framesDone === 0) return;
        if (progress.framesDone % FFMPEG_SAMPLE_EVERY === 1 || progress.framesDone === progress.framesTotal) {
          ffmpegCpuMs = readChildrenCpuMs('ffmpeg') ?? ffmpegCpuMs;
        }
        post(port, { type: 'frame', jobId: task.jobId, done: progress.framesDone, total: progress.framesTotal });
      },
    });

    const threadAfter = readThreadCpuMs();
    const browserAfter = browserPid === null ? null : readProcessTree(browserPid);
    const cpuMs =
      threadBefore !== null && threadAfter !== null && browserBefore !== null && browserAfter !== null && ffmpegCpuMs !== null
        ? Math.round(threadAfter - threadBefore + Math.max(0, browserAfter.cpuMs - browserBefore.cpuMs) + ffmpegCpuMs)
        : null;
    browser.renders++;
    renders++;
    maybeRecycle(browser);
    return {
      type: 'rendered',
      result: {
        jobId: task.jobId,
        outFile: result.outFile,
        frames: result.frames,
        capturedFrames: result.capturedFrames,
        reusedFrames: result.reusedFrames,
        wallMs: Math.round(result.wallMs),
        cpuMs,
      },
      worker: snapshot(true),
    };
  } catch (error) {
    renders++;
    if (browser) {
      browser.renders++;
      const code = error instanceof ReelwrightError ? error.code : null;
      if ((code !== null && BROWSER_FAULTS.has(code)) || browser.session.state !== 'ready') {
        discardBrowser(`job ${task.jobId} failed with ${code ?? 'an unexpected error'}`);
      } else {
        maybeRecycle(browser);
      }
    }
    const failure = controller.signal.aborted && !(error instanceof CancelledError) ? (controller.signal.reason as CancelledError) : error;
    log.verbose(logOptions, `job ${task.jobId} failed:`, failure);
    return { type: 'failed', error: serialize(failure), worker: snapshot(true) };
  } finally {
    currentJobId = null;
    currentPort = null;
    port.close();
  }
}

channel.onmessage = (event: { data: unknown }) => {
  const message = event.data as ChannelMessage;
  switch (message.type) {
    case 'shutdown':
      void (async () => {
        await launching?.catch(() => undefined);
        discardBrowser('the pool is closing');
        await closing;
        // loadTemplate started an esbuild service in this thread; stop it while the thread can still reap it.
        await stopEsbuild();
        channel.postMessage({ type: 'shut-down', requestId: message.requestId, worker: snapshot() } satisfies ChannelMessage);
      })();
      return;
    case 'shut-down':
    case 'log':
      // Answers from other workers.
      return;
  }
};

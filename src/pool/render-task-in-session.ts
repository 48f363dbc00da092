import { createHash } from 'node:crypto';
import { throwIfAborted } from '../errors/index.js';
import type { ClipFrameSet } from '../render/index.js';
import { renderVideo, type BrowserSession, type FileServer } from '../render/index.js';
import { loadTemplate, type TemplateDefinition } from '../template/index.js';
import type { RenderTask, RenderTaskProgress, RenderTaskResult } from './types.js';

/** Templates loaded in this thread, by entry + bundle hash (a new bundle means new code). */
const loadedTemplates = new Map<string, Promise<TemplateDefinition>>();

function templateFor(task: RenderTask): Promise<TemplateDefinition> {
  const key = `${task.templateEntry}\n${task.bundleHash}`;
  let loaded = loadedTemplates.get(key);
  if (!loaded) {
    loaded = loadTemplate({ entry: task.templateEntry, cacheDir: task.cacheDir }).then((r) => r.definition);
    loadedTemplates.set(key, loaded);
    loaded.catch(() => loadedTemplates.delete(key));
  }
  return loaded;
}

function prefixFor(dir: string): string {
  return `clip-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
}

/** Options of `renderTaskInSession`. */
export type RenderTaskInSessionOptions = {
  task: RenderTask;
  /** A warm browser, kept across tasks by the caller (one per worker). */
  session: BrowserSession;
  /** The caller's file server; the task's bundle, media and clip frames are mounted on it. */
  server: FileServer;
  signal?: AbortSignal | null;
  onProgress?: ((progress: RenderTaskProgress) => void) | null;
};

/**
 * Renders one task in an existing browser session: serves its bundle, media files and clip frames,
 * turns local paths in props into URLs, and runs `renderVideo`. Used by every pool worker.
 */
export async function renderTaskInSession(options: RenderTaskInSessionOptions): Promise<RenderTaskResult> {
  const { task, session, server } = options;
  throwIfAborted(options.signal);
  const started = Date.now();
  const template = await templateFor(task);
  server.mount(`bundle-${task.bundleHash.slice(0, 16)}`, task.bundleDir);
  const props: Record<string, unknown> = { ...task.props };
  const clipFrames: Record<string, ClipFrameSet> = {};
  for (const name of task.mediaProps) {
    const file = props[name];
    if (typeof file !== 'string' || file === '') continue;
    const url = server.mountFile(file);
    props[name] = url;
    const frames = task.clipFrames[file];
    if (frames) clipFrames[url] = { urlPrefix: server.mount(prefixFor(frames.dir), frames.dir), count: frames.count, fps: frames.fps };
  }
  const result = await renderVideo({
    session,
    server,
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
    signal: options.signal ?? null,
    onProgress: options.onProgress
      ? (p) => options.onProgress?.({ type: 'frame', jobId: task.jobId, done: p.framesDone, total: p.framesTotal })
      : null,
  });
  return {
    jobId: task.jobId,
    outFile: result.outFile,
    frames: result.frames,
    capturedFrames: result.capturedFrames,
    reusedFrames: result.reusedFrames,
    wallMs: Date.now() - started,
    cpuMs: null,
    attempts: 1,
  };
}

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { extractFrames } from '../media/index.js';
import { resolveOutputPath, type RenderJob } from '../plan/index.js';
import type { RenderTask } from '../pool/index.js';
import { fetchRemoteMedia } from './fetch-remote-media.js';
import type { PreparedBatch } from './prepare-batch.js';
import type { ProjectPaths } from './project-paths.js';

/** Pre-decoded frames of one clip at one size and fps. */
export type FrameSet = { dir: string; count: number; fps: number };

/** Produces a value once per key and shares it (see `memoize`). */
export type Memo<T> = (key: string, make: () => Promise<T>) => Promise<T>;

/** Memoizes one async result per key (clip frames, remote images): each is produced once per run. */
export function memoize<T>(): Memo<T> {
  const cache = new Map<string, Promise<T>>();
  return (key, make) => {
    let value = cache.get(key);
    if (!value) {
      value = make();
      cache.set(key, value);
      value.catch(() => cache.delete(key));
    }
    return value;
  };
}

/** Options of `buildRenderTask`. */
export type BuildRenderTaskOptions = {
  job: RenderJob;
  batch: Pick<PreparedBatch, 'template' | 'templateEntry' | 'bundle'>;
  paths: ProjectPaths;
  outDir: string;
  /** B-roll slot → cached clip file. */
  clipFiles: Record<string, string>;
  frameSets: Memo<FrameSet>;
  remoteMedia: Memo<string>;
  jpegQuality: number;
  frameReuse: boolean;
  frameTimeoutMs: number;
  allowPrivateMedia: boolean;
  signal: AbortSignal | null;
  /** Overrides the output path (reproduce renders next to the original). */
  outFile?: string;
};

/** Turns a planned job into a plain-JSON render task: local media paths, pre-decoded clip frames, output path. */
export async function buildRenderTask(context: BuildRenderTaskOptions): Promise<RenderTask> {
  const { job, batch, paths, outDir, clipFiles } = context;
  const o = context;
  const props: Record<string, unknown> = { ...job.props };
  const mediaProps: string[] = [];
  const clipFrames: RenderTask['clipFrames'] = {};
  for (const [slot, def] of Object.entries(batch.template.slots)) {
    if (def.kind === 'image' || def.kind === 'audio') {
      const value = props[slot];
      if (typeof value !== 'string' || value === '') continue;
      if (/^https?:\/\//i.test(value)) {
        props[slot] = await context.remoteMedia(value, () =>
          fetchRemoteMedia({ url: value, cacheDir: paths.mediaDir, allowPrivateAddresses: o.allowPrivateMedia, signal: o.signal }),
        );
      }
      // An audio default is the template's own asset (a URL relative to its bundle), not a local file to serve.
      if (def.kind === 'audio' && !path.isAbsolute(props[slot] as string)) continue;
      mediaProps.push(slot);
    } else if (def.kind === 'broll') {
      const file = clipFiles[slot];
      if (!file) continue;
      props[slot] = file;
      mediaProps.push(slot);
      const key = `${path.basename(file, '.mp4')}-${job.width}x${job.height}-${job.fps}`;
      clipFrames[file] = await context.frameSets(key, async () => {
        const dir = path.join(paths.framesDir, key);
        const extracted = await extractFrames({ input: file, outDir: dir, fps: job.fps, width: job.width, height: job.height, fit: 'cover', signal: o.signal });
        return { dir, count: extracted.count, fps: job.fps };
      });
    }
  }
  await mkdir(outDir, { recursive: true });
  return {
    type: 'render',
    jobId: job.jobId,
    templateEntry: batch.templateEntry,
    cacheDir: paths.cacheDir,
    bundleDir: batch.bundle.dir,
    bundleHash: batch.bundle.hash,
    variant: job.variant,
    props,
    mediaProps,
    clipFrames,
    outFile: context.outFile ?? resolveOutputPath(outDir, job.outputName),
    randomSeed: job.rowKey,
    jpegQuality: o.jpegQuality,
    frameReuse: o.frameReuse,
    frameTimeoutMs: o.frameTimeoutMs,
  };
}

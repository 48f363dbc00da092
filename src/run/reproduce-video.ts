import { existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ClipId } from '../clips/index.js';
import { ConfigError, DatasetError, throwIfAborted } from '../errors/index.js';
import { openJournal, type RenderRecord, type RunRecord } from '../journal/index.js';
import { log, type LogLevel, type OnLog } from '../log/index.js';
import { hashFrames } from '../media/index.js';
import { buildJobManifest, explainChange, type RenderJob, type RenderManifest } from '../plan/index.js';
import { DEFAULT_JPEG_QUALITY } from '../render/index.js';
import { buildRenderTask, memoize, type FrameSet } from './build-render-task.js';
import { prepareBatch, type PreparedBatch } from './prepare-batch.js';
import { projectPaths, type ProjectPaths } from './project-paths.js';
import { DEFAULT_FRAME_TIMEOUT_MS, type RenderRunner } from './run-batch.js';

/** Options of `reproduceVideo`. */
export type ReproduceVideoOptions = {
  /** The finished MP4 to reproduce (absolute, or relative to `projectDir`). */
  video: string;
  /** Project folder; default the current folder. */
  projectDir?: string;
  /** State folder; default `<project>/.reelwright`. */
  stateDir?: string;
  /** Builds the render runner for the one task (the CLI passes its runner; the studio its own). */
  createRunner: (context: { paths: ProjectPaths; jobs: number }) => Promise<RenderRunner>;
  /** Also keep the re-rendered MP4 at this path (by default it is deleted after the comparison). */
  keepAs?: string | null;
  /** Per-frame deadline; `DEFAULT_FRAME_TIMEOUT_MS`. */
  frameTimeoutMs?: number;
  /** Environment (provider keys are never needed: nothing is generated); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

/** What `reproduceVideo` found. */
export type ReproduceVideoResult = {
  /** Absolute path of the original video (left untouched). */
  video: string;
  /** The run that rendered it. */
  runId: string;
  templateId: string;
  rowKey: string;
  variant: string;
  /** True when both videos have the same number of frames and every decoded frame is identical. */
  identical: boolean;
  /** Frames of the original video. */
  originalFrames: number;
  /** Frames of the re-rendered video. */
  reproducedFrames: number;
  /** Frames (from the start) whose decoded pixels are identical in both. */
  identicalFrames: number;
  /** 0-based index of the first frame that differs (or exists in only one video); null when identical. */
  firstDifferentFrame: number | null;
  /** Why the re-render may differ: a changed template bundle, renderer, settings or clip. */
  warnings: string[];
  /** Where the re-rendered MP4 was kept (`keepAs`), or null. */
  keptAs: string | null;
};

type RunOptions = {
  template?: unknown;
  outDir?: unknown;
  namePattern?: unknown;
  map?: unknown;
  draft?: unknown;
  provider?: unknown;
  model?: unknown;
  jpegQuality?: unknown;
  frameReuse?: unknown;
  allowPrivateMedia?: unknown;
  assetsDir?: unknown;
};

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function stringMap(value: unknown): Record<string, string> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

/**
 * The newest render record whose output is `video` (as given, or with symbolic links resolved), searching every
 * template that has runs in the journal.
 */
function findRender(journal: ReturnType<typeof openJournal>, video: string): RenderRecord | null {
  const names = new Set([video]);
  try {
    names.add(realpathSync(video));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // a deleted video can still be looked up by path
  }
  const templateIds = new Set<string>();
  for (const run of journal.listRuns({ limit: Number.MAX_SAFE_INTEGER })) if (run.templateId) templateIds.add(run.templateId);
  for (const templateId of templateIds) {
    for (const render of journal.iterateRenders(templateId)) {
      if (names.has(path.resolve(render.outputPath))) return render;
    }
  }
  return null;
}

/**
 * Re-renders one finished video from its journal record and reports whether the new frames are
 * identical: finds the video's render record (by output path) and the run that made it, re-reads
 * that run's dataset, checks the row still has the manifest's row hash, plans that one row × variant
 * with the run's settings, takes its clips from the clip cache only (never generates or pays: a
 * missing clip fails with `RW_REPRODUCE_CLIP_MISSING`), renders it to a temporary file and compares
 * the decoded frames with the original. Writes nothing to the journal and never touches the original.
 *
 * Fails with `ConfigError` `RW_REPRODUCE_UNKNOWN_VIDEO` (no render record for that file), `RW_REPRODUCE_NO_VIDEO`
 * (the file is gone), `RW_REPRODUCE_NO_DATASET` (the run's dataset is gone), `DatasetError` `RW_REPRODUCE_ROW_CHANGED`
 * (the row's values changed since), or any dataset, template or render error.
 *
 * @example
 * const result = await reproduceVideo({ video: 'outputs/welcome/ada-landscape.mp4', createRunner });
 * console.log(result.identical ? `identical: ${result.identicalFrames}/${result.originalFrames} frames` : `frame ${result.firstDifferentFrame} differs`);
 * @see runBatch
 */
export async function reproduceVideo(options: ReproduceVideoOptions): Promise<ReproduceVideoResult> {
  const logLevel = options.logLevel ?? 'info';
  const onLog = options.onLog ?? null;
  const signal = options.signal ?? null;
  const logOptions = { logLevel, tag: 'reproduceVideo()', onLog };
  const paths = projectPaths({ projectDir: options.projectDir ?? null, stateDir: options.stateDir ?? null });
  const video = path.resolve(paths.projectDir, options.video);

  const journal = openJournal({ file: paths.journalFile, secretValues: [] });
  let prepared: PreparedBatch | null = null;
  let workDir: string | null = null;
  let runner: RenderRunner | null = null;
  try {
    const render = findRender(journal, video);
    if (!render) {
      throw new ConfigError(
        `${video} is not a finished video of this project: the journal (${paths.journalFile}) has no render with that output path. ` +
          'Give the path of an MP4 that `reelwright render` made in this project (see `reelwright runs`), or run from its project folder (--project).',
        { code: 'RW_REPRODUCE_UNKNOWN_VIDEO' },
      );
    }
    if (!existsSync(video)) {
      throw new ConfigError(`${video} is in the journal but no longer on disk, so there is nothing to compare with. \`reelwright render\` renders missing videos again.`, {
        code: 'RW_REPRODUCE_NO_VIDEO',
      });
    }
    const manifest = render.manifest as RenderManifest;
    const run: RunRecord | null = render.runId === null ? null : journal.getRun(render.runId);
    if (!run || !run.dataset) {
      throw new ConfigError(`The run that rendered ${video} is no longer in the journal, so its dataset and settings are unknown; it cannot be reproduced.`, {
        code: 'RW_REPRODUCE_NO_DATASET',
      });
    }
    const runOptions = run.options as RunOptions;
    const outDir = path.resolve(paths.projectDir, stringOr(runOptions.outDir, path.dirname(video)));
    const jpegQuality = typeof runOptions.jpegQuality === 'number' ? runOptions.jpegQuality : DEFAULT_JPEG_QUALITY;
    try {
      prepared = await prepareBatch({
        paths,
        dataset: run.dataset,
        template: stringOr(runOptions.template, render.templateId),
        journal,
        outDirFor: () => outDir,
        limit: null,
        rowKeys: [render.rowKey],
        namePattern: stringOr(runOptions.namePattern, null),
        variants: [render.variant],
        map: stringMap(runOptions.map),
        draft: runOptions.draft === true,
        // Forced: the job is planned (and its clips looked up) even though its output is up to date.
        force: true,
        provider: stringOr(runOptions.provider, null),
        model: stringOr(runOptions.model, null),
        jpegQuality,
        env: options.env ?? process.env,
        requireKeys: false,
        allowPrivateMedia: runOptions.allowPrivateMedia === true,
        assetsDir: stringOr(runOptions.assetsDir, null),
        logLevel,
        onLog,
        signal,
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'RW_DATASET_NOT_FOUND') {
        throw new ConfigError(`The dataset of run ${run.id} (${run.dataset}) is gone, so ${path.basename(video)} cannot be reproduced. Put the file back where it was.`, {
          code: 'RW_REPRODUCE_NO_DATASET',
          cause: error,
        });
      }
      throw error;
    }
    const batch = prepared;
    const job = batch.plan.jobs.find((j) => j.rowKey === render.rowKey && j.variant === render.variant) as RenderJob | undefined;
    if (!job) {
      const problem = batch.plan.problems.find((p) => p.rowKey === render.rowKey);
      throw new DatasetError(`Row "${render.rowKey}" of ${batch.datasetLabel} cannot be planned any more: ${problem?.message ?? 'it is not in the plan'}.`, {
        code: 'RW_REPRODUCE_ROW_CHANGED',
      });
    }
    if (job.rowHash !== manifest.row.hash) {
      throw new DatasetError(
        `Row "${render.rowKey}" (line ${job.line} of ${batch.datasetLabel}) changed since ${path.basename(video)} was rendered ` +
          `(row hash ${job.rowHash.slice(0, 12)}, the manifest has ${manifest.row.hash.slice(0, 12)}), so the video cannot be reproduced from the dataset. ` +
          'Render it again with `reelwright render` to make a video of the current row.',
        { code: 'RW_REPRODUCE_ROW_CHANGED' },
      );
    }

    const warnings: string[] = [];
    if (batch.bundle.hash !== manifest.template.bundleHash) {
      warnings.push(
        `The template "${manifest.template.id}" changed since this video was rendered: its bundle hash is ${batch.bundle.hash.slice(0, 12)}, the manifest has ${manifest.template.bundleHash.slice(0, 12)}. Frames may differ.`,
      );
    }
    if (job.manifestHash !== render.manifestHash) {
      const reason = explainChange({ previous: { manifestHash: render.manifestHash, outputExists: true, manifest }, manifest: buildJobManifest({ plan: batch.plan, job }), manifestHash: job.manifestHash });
      if (reason === 'template_changed' && batch.bundle.hash === manifest.template.bundleHash) {
        warnings.push('The template version, renderer version or render settings changed since this video was rendered. Frames may differ.');
      } else if (reason === 'clip_changed') {
        warnings.push('A B-roll clip request changed since this video was rendered (provider, model or slot settings); the manifest\'s clips are used.');
      }
    }

    // Clips come from the cache only, as the manifest names them: reproducing never pays for anything.
    const clipFiles: Record<string, string> = {};
    for (const [slot, clipId] of Object.entries(manifest.clips)) {
      const entry = batch.cache.get(clipId as ClipId);
      if (!entry) {
        throw new ConfigError(
          `B-roll "${slot}" of ${path.basename(video)} used clip ${clipId}, which is no longer in the clip cache (pruned or deleted). ` +
            'reproduce never generates clips; render the row again with `reelwright render --force` to make a new video.',
          { code: 'RW_REPRODUCE_CLIP_MISSING' },
        );
      }
      clipFiles[slot] = entry.file;
    }
    const reproduceJob: RenderJob = { ...job, clips: manifest.clips as Readonly<Record<string, ClipId>> };

    throwIfAborted(signal);
    workDir = await mkdtemp(path.join(tmpdir(), 'reelwright-reproduce-'));
    const outFile = path.join(workDir, path.basename(video));
    const task = await buildRenderTask({
      job: reproduceJob,
      batch,
      paths,
      outDir: workDir,
      clipFiles,
      frameSets: memoize<FrameSet>(),
      remoteMedia: memoize<string>(),
      jpegQuality,
      frameReuse: runOptions.frameReuse !== false,
      frameTimeoutMs: options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS,
      allowPrivateMedia: runOptions.allowPrivateMedia === true,
      signal,
      outFile,
    });
    runner = await options.createRunner({ paths, jobs: 1 });
    log.verbose(logOptions, `re-rendering ${job.jobId} of run ${run.id} into ${outFile}`);
    await runner.run(task, { signal });

    const [original, reproduced] = await Promise.all([hashFrames({ file: video, signal }), hashFrames({ file: outFile, signal })]);
    let identicalFrames = 0;
    while (identicalFrames < Math.min(original.length, reproduced.length) && original[identicalFrames] === reproduced[identicalFrames]) identicalFrames++;
    const identical = identicalFrames === original.length && original.length === reproduced.length;
    let keptAs: string | null = null;
    if (options.keepAs) {
      keptAs = path.resolve(paths.projectDir, options.keepAs);
      await copyFile(outFile, keptAs);
    }
    return {
      video,
      runId: run.id,
      templateId: render.templateId,
      rowKey: render.rowKey,
      variant: render.variant,
      identical,
      originalFrames: original.length,
      reproducedFrames: reproduced.length,
      identicalFrames,
      firstDifferentFrame: identical ? null : identicalFrames,
      warnings,
      keptAs,
    };
  } finally {
    await runner?.close({ force: Boolean(signal?.aborted) });
    prepared?.cache.close();
    journal.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

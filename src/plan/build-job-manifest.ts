import { buildManifest } from './build-manifest.js';
import type { BatchPlan, RenderJob, RenderManifest } from './types.js';

/** Options of `buildJobManifest`. */
export type BuildJobManifestOptions = { plan: BatchPlan; job: RenderJob };

/**
 * The manifest of one planned job, rebuilt from the plan and the job (jobs keep only its hash,
 * to stay small). `hashManifest` of the result equals `job.manifestHash`.
 */
export function buildJobManifest(options: BuildJobManifestOptions): RenderManifest {
  const { plan, job } = options;
  return buildManifest({
    template: plan.template,
    templateHash: plan.template.hash,
    rowKey: job.rowKey,
    rowHash: job.rowHash,
    variant: { name: job.variant, width: job.width, height: job.height },
    fps: job.fps,
    durationInFrames: job.durationInFrames,
    clips: job.clips,
    rendererVersion: plan.rendererVersion,
    renderSettings: plan.renderSettings,
    outputName: job.outputName,
  });
}

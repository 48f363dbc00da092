import type { BatchPlan, ClipUseStatus, MoneyLine, PlanProblem, RenderReason, RenderSettings, PlanTotals } from './types.js';

/** Version of the `--json` plan document; bump with `schemas/plan.schema.json`. */
export const PLAN_DOCUMENT_VERSION = 1;

/** One job in the plan document. */
export type PlanDocumentJob = {
  jobId: string;
  rowKey: string;
  rowIndex: number;
  line: number;
  variant: string;
  outputName: string;
  status: 'render' | 'up_to_date';
  reason: RenderReason | null;
  manifestHash: string;
  frames: number;
  /** One entry per B-roll slot; `status` is null for up-to-date jobs (their clips are not needed). */
  clips: { slot: string; clipId: string; status: ClipUseStatus | null }[];
};

/** What the journal remembers about a clip's input-moderation refusal, in the plan document. */
export type PlanDocumentRefusal = {
  provider: string;
  model: string;
  /** The run that was refused, or null (a studio preview). */
  runId: string | null;
  /** When, as an ISO timestamp. */
  refusedAt: string;
  /** The provider's code (`SAFETY.INPUT.TEXT`, `RW_PROVIDER_MODERATION`), or null. */
  code: string | null;
  /** The provider's reason in plain words. */
  message: string;
};

/** One distinct clip in the plan document. */
export type PlanDocumentClip = {
  clipId: string;
  /** `refused`: refused by input moderation in an earlier run ("refused earlier"); not in the estimate. */
  status: 'cached' | 'new' | 'refused';
  provider: string;
  model: string;
  /** The rendered, normalized prompt. */
  prompt: string;
  promptHash: string;
  seconds: number;
  aspect: string;
  resolution: string | null;
  seed: number | null;
  /** sha256 of the first-frame image's bytes (image→video, a B-roll slot's `firstFrame`), or null for text→video. */
  inputImageHash: string | null;
  draft: boolean;
  /** Render jobs using it. */
  uses: number;
  estimate: { usd: number; source: string; date: string } | null;
  /** Set for `refused` clips; else null. */
  refusal: PlanDocumentRefusal | null;
};

/** The `reelwright plan --json` document; validates against `schemas/plan.schema.json`. */
export type PlanDocument = {
  kind: 'reelwright.plan';
  version: typeof PLAN_DOCUMENT_VERSION;
  template: { id: string; version: string; hash: string };
  variants: string[];
  namePattern: string;
  draft: boolean;
  force: boolean;
  rendererVersion: string;
  renderSettings: RenderSettings;
  totals: PlanTotals & { money: { totalUsd: number; byModel: MoneyLine[] } };
  jobs: PlanDocumentJob[];
  clips: PlanDocumentClip[];
  problems: PlanProblem[];
  warnings: string[];
};

/**
 * The plan as a plain JSON document for `reelwright plan --json` (stdout) and tools: jobs with
 * their clip ids and statuses, distinct clips with their prompts and prices, problems, totals.
 * Row values are not included (they are the user's data, already in the dataset).
 *
 * @example
 * process.stdout.write(JSON.stringify(toPlanDocument(plan)));
 */
export function toPlanDocument(plan: BatchPlan): PlanDocument {
  return {
    kind: 'reelwright.plan',
    version: PLAN_DOCUMENT_VERSION,
    template: { ...plan.template },
    variants: [...plan.variants],
    namePattern: plan.namePattern,
    draft: plan.draft,
    force: plan.force,
    rendererVersion: plan.rendererVersion,
    renderSettings: { ...plan.renderSettings },
    totals: plan.totals,
    jobs: plan.jobs.map((job) => ({
      jobId: job.jobId,
      rowKey: job.rowKey,
      rowIndex: job.rowIndex,
      line: job.line,
      variant: job.variant,
      outputName: job.outputName,
      status: job.status,
      reason: job.reason,
      manifestHash: job.manifestHash,
      frames: job.durationInFrames,
      clips: Object.entries(job.clips).map(([slot, clipId]) => ({ slot, clipId, status: job.clipStatus[slot] ?? null })),
    })),
    clips: plan.clips.map((clip) => ({
      clipId: clip.clipId,
      status: clip.status,
      provider: clip.request.provider,
      model: clip.request.model,
      prompt: clip.request.prompt,
      promptHash: clip.promptHash,
      seconds: clip.request.seconds,
      aspect: clip.request.aspect,
      resolution: clip.request.resolution,
      seed: clip.request.seed,
      inputImageHash: clip.request.inputImageHash,
      draft: clip.request.draft,
      uses: clip.users.length,
      estimate: clip.estimate === null ? null : { usd: clip.estimate.usd, source: clip.estimate.source, date: clip.estimate.date },
      refusal:
        clip.refusal === null
          ? null
          : {
              provider: clip.refusal.provider,
              model: clip.refusal.model,
              runId: clip.refusal.runId,
              refusedAt: new Date(clip.refusal.refusedAt).toISOString(),
              code: clip.refusal.failureCode,
              message: clip.refusal.message,
            },
    })),
    problems: plan.problems.map((p) => ({ ...p })),
    warnings: [...plan.warnings],
  };
}

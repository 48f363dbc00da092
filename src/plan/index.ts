/**
 * @module plan
 * Owns planning a batch before anything is paid or rendered: render jobs (row × variant), B-roll
 * prompts rendered with Handlebars, clip requests and their dedupe, cache status, up-to-date
 * checks against previous manifests, output names (sanitized, unique, confined to the output
 * folder), money and time estimates, the `--json` plan document and video manifests.
 * Pure: never touches files, the network, the clock or randomness; the cache index, previous
 * outputs and prices come in as functions.
 */
export { planBatch, DEFAULT_NAME_PATTERN, DEFAULT_VARIANT_NAME_PATTERN, NAME_PATTERN_FIELDS } from './plan-batch.js';
export { compileBrollSlots, DEFAULT_PROVIDER, DRAFT_FALLBACK_PROVIDER, HANDLEBARS_COMPILE_OPTIONS, HANDLEBARS_RUNTIME_OPTIONS } from './compile-broll-slots.js';
export type { CompiledBrollSlot, CompileBrollSlotsOptions } from './compile-broll-slots.js';
export { toPlanDocument, PLAN_DOCUMENT_VERSION } from './to-plan-document.js';
export type { PlanDocument, PlanDocumentJob, PlanDocumentClip } from './to-plan-document.js';
export { buildManifest } from './build-manifest.js';
export type { BuildManifestOptions } from './build-manifest.js';
export { buildJobManifest } from './build-job-manifest.js';
export type { BuildJobManifestOptions } from './build-job-manifest.js';
export { hashManifest } from './hash-manifest.js';
export { explainChange } from './explain-change.js';
export type { ExplainChangeOptions } from './explain-change.js';
export { sanitizeOutputName, truncateUtf8, DEFAULT_MAX_OUTPUT_NAME_BYTES, OUTPUT_EXTENSION, FALLBACK_OUTPUT_BASE } from './sanitize-output-name.js';
export type { SanitizeOutputNameOptions } from './sanitize-output-name.js';
export { createOutputNamer } from './create-output-namer.js';
export type { CreateOutputNamerOptions } from './create-output-namer.js';
export { resolveOutputPath } from './resolve-output-path.js';
export { aspectOfSize } from './aspect-of-size.js';
export type { AspectOfSizeOptions } from './aspect-of-size.js';
export { toCanonicalJson } from './to-canonical-json.js';
export type { JsonValue } from './to-canonical-json.js';
export type {
  RenderReason,
  RenderJobStatus,
  ClipUseStatus,
  RenderSettings,
  ProviderDefaults,
  PreviousOutput,
  OutputFileFacts,
  PreviousOutputs,
  CacheIndex,
  PlanTemplate,
  PlanBatchOptions,
  InputImageEntry,
  InputImageIndex,
  RenderJob,
  ClipUser,
  PlannedClip,
  PlanProblem,
  MoneyLine,
  PlanTotals,
  BatchPlan,
  RenderManifest,
} from './types.js';

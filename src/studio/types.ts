import type { CostEstimate } from '../clips/index.js';
import type { DatasetFormat } from '../dataset/index.js';
import type { PageInit } from '../render/index.js';
import type { BatchProgress } from '../run/index.js';
import type { SlotMap, VariantSize } from '../template/index.js';

/*
 * The studio API's data: plain JSON shared by the Node server and the browser app (the app imports these types
 * only). Paths in it are relative to the project folder, with `/` separators, unless said otherwise.
 */

/** A place in a source file, 1-based line and column. */
export type SourceLocation = { file: string; line: number; column: number };

/** An error as the API reports it: code, message and any source locations found in it. */
export type StudioErrorInfo = {
  /** `RW_*` code (`RW_TEMPLATE_BUILD_FAILED`, `RW_STUDIO_PATH_OUTSIDE` …). */
  code: string;
  /** The whole message, as the CLI would print it. */
  message: string;
  /** `file:line:column` places named in the message, first first. */
  locations: SourceLocation[];
};

/** A template folder found under `templates/`. */
export type StudioTemplateEntry = {
  /** Folder name, e.g. `welcome`. */
  id: string;
  /** Entry file relative to the project: the template's reference in every other call. */
  ref: string;
};

/** A dataset file found under `datasets/`. */
export type StudioDatasetEntry = {
  /** Path relative to the project: the dataset's reference in every other call. */
  ref: string;
  /** File name. */
  name: string;
  format: DatasetFormat;
};

/** `GET /api/project`: what the studio can open. */
export type StudioProject = {
  /** The project folder's name. */
  name: string;
  templates: StudioTemplateEntry[];
  datasets: StudioDatasetEntry[];
  /** True when started with `--allow-outside-project`: "open file" accepts any path. */
  allowOutsideProject: boolean;
  /** Whether "Render this row" is wired to the batch pipeline in this build. */
  render: { available: boolean; reason: string | null };
};

/** What the app needs to know about a loaded template (its slots drive the form). Plain JSON. */
export type StudioTemplateInfo = {
  id: string;
  version: string;
  description: string | null;
  fps: number;
  width: number;
  height: number;
  /** Always at least one (`default` when the template declares none). */
  variants: Record<string, VariantSize>;
  /** The slot declarations, exactly as the template wrote them. */
  slots: SlotMap;
  rowKey: string | null;
};

/**
 * Where a template's build stands (the studio rebuilds it on every change to its folder).
 * - `building`: a build is running; the previous bundle is still shown.
 * - `ready`: bundled for the browser and loaded in Node; `bundleUrl` is the page host to load in the preview.
 * - `error`: the bundle or the Node load failed; `error` names file:line:column where esbuild did.
 */
export type StudioTemplateState =
  | { status: 'building'; ref: string }
  | {
      status: 'ready';
      ref: string;
      template: StudioTemplateInfo;
      /** Content hash of the studio bundle: a new hash means new code. */
      bundleHash: string;
      /** URL (root-relative) of the bundle's `index.html`. */
      bundleUrl: string;
      /** `loadTemplate`'s hash over the template's sources. */
      sourceHash: string;
    }
  | { status: 'error'; ref: string; error: StudioErrorInfo };

/** One rule a row breaks, with the CLI's wording. */
export type StudioProblem = {
  /** The slot concerned, or null for a whole-row problem. */
  slot: string | null;
  /** The file's column, or null. */
  column: string | null;
  /** `ProblemRule` id (`number`, `maxLength` …), or `plan` / `duration` / `media` for problems found after validation. */
  rule: string;
  /** The message without the location. */
  message: string;
  /** The line `reelwright validate` prints (`formatProblem`). */
  text: string;
};

/** One dataset row in the table. */
export type StudioRow = {
  /** 0-based data index. */
  index: number;
  /** 1-based line in the file. */
  line: number;
  /** Row key for valid rows (what "Render this row" renders), null for invalid ones. */
  key: string | null;
  ok: boolean;
  /** The row's cells as written in the file, by slot name (the form's starting values). */
  cells: Record<string, string>;
  problems: StudioProblem[];
};

/** `GET /api/dataset`: a dataset read against a template with the CLI's rules. */
export type StudioDataset = {
  ref: string;
  fileLabel: string;
  format: DatasetFormat | null;
  /** Column names in the file. */
  columns: string[];
  /** Slot → the column that feeds it (null: default or empty). */
  mapping: Record<string, string | null>;
  unmappedColumns: string[];
  total: number;
  valid: number;
  invalid: number;
  /** The first `DEFAULT_STUDIO_MAX_ROWS` rows; counts above cover every row. */
  rows: StudioRow[];
  /** True when the file has more rows than `rows` holds. */
  truncated: boolean;
  /** A problem with the whole file (missing column, malformed JSON …): no rows then. */
  fileError: StudioErrorInfo | null;
};

/** The row the preview shows: the form's cells, validated on the server with the CLI's rules. */
export type PrepareRowRequest = {
  /** Template reference (`StudioTemplateEntry.ref`). */
  template: string;
  /** Dataset reference, or null (image paths then resolve from the project folder). */
  dataset: string | null;
  variant: string;
  /** Slot → cell text, as typed in the form or read from the file. */
  cells: Record<string, string>;
  /** Line and index of the dataset row (for messages and hash keys); 2 and 0 when there is none. */
  line: number;
  index: number;
};

/**
 * Where a B-roll slot's preview clip comes from.
 * - `cached`: the clip the batch will use is in the clip cache.
 * - `local`: the slot uses the free local provider; its clip was generated and cached.
 * - `placeholder`: the slot's paid clip is not cached yet; a free local clip of the same prompt stands in.
 */
export type StudioClipStatus = 'cached' | 'local' | 'placeholder';

/** One B-roll slot of the previewed row. */
export type StudioClip = {
  slot: string;
  /** The planned request's id (the batch's cache key). */
  clipId: string;
  status: StudioClipStatus;
  provider: string;
  model: string;
  /** The rendered prompt. */
  prompt: string;
  seconds: number;
  /** List price of generating the planned clip; null when it is cached. */
  estimate: CostEstimate | null;
  /** The clip file shown, relative to the project. */
  file: string;
  /** Its pre-decoded frames (at the variant's size and the template's fps), relative to the project. */
  framesDir: string;
};

/** `POST /api/prepare`. */
export type PrepareRowResponse = {
  /** False when the cells break a rule: `problems` says which; `init` is null. */
  ok: boolean;
  problems: StudioProblem[];
  /** The row key the batch would give these values. */
  rowKey: string | null;
  /** What to pass to the preview's `__reelwright.init`: the same input the renderer gives the page. */
  init: PageInit | null;
  durationInFrames: number | null;
  clips: StudioClip[];
};

/** `POST /api/clips/estimate` and `/api/clips/generate` take the row as in `prepare`, plus the slot. */
export type ClipActionRequest = PrepareRowRequest & {
  slot: string;
  /** `generate` only: the clip id the user saw in the estimate; a row that changed since is refused. */
  clipId?: string;
};

/** `POST /api/clips/estimate`: what generating a slot's clip would cost. */
export type ClipEstimateResponse = {
  slot: string;
  clipId: string;
  provider: string;
  model: string;
  prompt: string;
  seconds: number;
  /** Already in the cache: nothing to generate. */
  cached: boolean;
  /** List price of one attempt (retries may add more). */
  estimate: CostEstimate;
  /** Whether generating costs money (then the app asks for confirmation). */
  paid: boolean;
  /** Whether this studio can generate it (a paid provider needs its API key in the environment). */
  available: boolean;
  /** Why not, when `available` is false. */
  reason: string | null;
};

/** `POST /api/clips/generate`. */
export type ClipGenerateResponse = { clipId: string; file: string; costUsd: number; attempts: number; cached: boolean };

/**
 * Where a "Render this row" job stands.
 * - `running`: the batch pipeline is working on it; see `progress`.
 * - `done`: the MP4 is at `outputUrl`.
 * - `failed`: see `error`.
 * - `cancelled`: the studio was closed.
 */
export type StudioRenderStatus = 'running' | 'done' | 'failed' | 'cancelled';

/** A "Render this row" job. */
export type StudioRenderJob = {
  jobId: string;
  template: string;
  dataset: string;
  rowKey: string;
  variant: string;
  status: StudioRenderStatus;
  /** The batch's own progress events. */
  progress: BatchProgress | null;
  /** Output file relative to the project (or absolute when outside it), when done. */
  outputPath: string | null;
  /** Read-only URL of the MP4, when done. */
  outputUrl: string | null;
  error: StudioErrorInfo | null;
  startedAt: string;
  endedAt: string | null;
};

/** `POST /api/render`. */
export type RenderRowApiRequest = { template: string; dataset: string; rowKey: string; variant: string };

/**
 * Server-Sent Events on `GET /api/events`, one JSON object per `data:` line.
 * - `hello`: sent on connect.
 * - `template`: a template's build changed (building, ready with a new bundle, or failed).
 * - `dataset`: a watched dataset file changed on disk.
 * - `render`: a render job moved on.
 * - `clip`: a clip generation moved on (`message` is one line for the status bar).
 */
export type StudioEvent =
  | { type: 'hello' }
  | { type: 'template'; state: StudioTemplateState }
  | { type: 'dataset'; ref: string }
  | { type: 'render'; job: StudioRenderJob }
  | { type: 'clip'; clipId: string; slot: string; message: string; done: boolean };

/** `POST /api/open`: a path typed by the user, checked against the project. */
export type OpenPathResponse = { kind: 'template' | 'dataset'; ref: string };

/** `POST /api/source-locations`: maps `bundle.js:line:column` positions back to the template's sources. */
export type SourceLocationsRequest = { bundleHash: string; positions: { line: number; column: number }[] };
/** One mapped position per requested one (null when the position maps to nothing). */
export type SourceLocationsResponse = { locations: (SourceLocation | null)[] };

/**
 * @module studio
 * The local authoring web app: a server (node:http, 127.0.0.1 by default) with a small JSON API, Server-Sent
 * Events and a React app that previews dataset rows in the renderer's own page host, edits them through a form
 * generated from the template's slots, hot-reloads templates, and renders a row through the batch pipeline.
 * Never writes datasets or templates, never serves files outside the project, never runs a second set of
 * validation rules (it calls the dataset stage's).
 */
export { startStudio, DEFAULT_STUDIO_HOST, DEFAULT_STUDIO_PORT, RENDER_UNAVAILABLE_REASON } from './start-studio.js';
export type { StartStudioOptions, Studio } from './start-studio.js';
export type { RenderRow, RenderRowRequest, RenderRowResult } from './render-row.js';
export { createBatchRenderRow, DEFAULT_STUDIO_RENDER_CONCURRENCY } from './create-batch-render-row.js';
export type { CreateBatchRenderRowOptions } from './create-batch-render-row.js';
export { StudioError } from './studio-error.js';
export type { StudioErrorOptions } from './studio-error.js';
export { resolveProjectPath } from './resolve-project-path.js';
export type { ResolveProjectPathOptions } from './resolve-project-path.js';
export type {
  SourceLocation,
  StudioErrorInfo,
  StudioTemplateEntry,
  StudioDatasetEntry,
  StudioProject,
  StudioTemplateInfo,
  StudioTemplateState,
  StudioProblem,
  StudioRow,
  StudioDataset,
  PrepareRowRequest,
  PrepareRowResponse,
  StudioClipStatus,
  StudioClip,
  ClipActionRequest,
  ClipEstimateResponse,
  ClipGenerateResponse,
  StudioRenderStatus,
  StudioRenderJob,
  RenderRowApiRequest,
  StudioEvent,
  OpenPathResponse,
  SourceLocationsRequest,
  SourceLocationsResponse,
} from './types.js';

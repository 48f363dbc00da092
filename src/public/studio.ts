/**
 * `reelwright/studio`: start the template studio from code (what `reelwright studio` runs).
 * Node only. The `package.json` `exports` subpath for this file is the lead's to add.
 *
 * @example
 * import { startStudio } from 'reelwright/studio';
 * await using studio = await startStudio({ projectDir: '.', port: 0 });
 */
export { startStudio, createBatchRenderRow, DEFAULT_STUDIO_HOST, DEFAULT_STUDIO_PORT, StudioError } from '../studio/index.js';
export type {
  StartStudioOptions,
  Studio,
  RenderRow,
  RenderRowRequest,
  RenderRowResult,
  CreateBatchRenderRowOptions,
  StudioEvent,
  StudioProject,
  StudioTemplateState,
  StudioDataset,
  PrepareRowRequest,
  PrepareRowResponse,
} from '../studio/index.js';

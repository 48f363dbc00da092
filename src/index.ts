/**
 * reelwright: turn a spreadsheet into a batch of personalized videos.
 *
 * The curated public API for Node: the template SDK (what templates import), running a batch,
 * and the error classes. The studio is at `reelwright/studio`.
 *
 * @example
 * import { createRenderPool, runBatch } from 'reelwright';
 * const summary = await runBatch({ dataset: 'people.csv', template: 'hello', createRunner: async () => createRenderPool({}) });
 */
export * from './public/template.js';
export { runBatch, prepareBatch, checkEnvironment, projectPaths, loadProjectTemplate } from './run/index.js';
export type { RunBatchOptions, RunSummary, RunStatus, RenderRunner, BatchProgress, BatchStage, PreparedBatch } from './run/index.js';
export { createRenderPool } from './pool/index.js';
export type { CreateRenderPoolOptions, RenderTask, RenderTaskResult } from './pool/index.js';
export {
  ReelwrightError,
  DatasetError,
  TemplateError,
  ProviderError,
  RenderError,
  EncodeError,
  ConfigError,
  CancelledError,
} from './errors/index.js';

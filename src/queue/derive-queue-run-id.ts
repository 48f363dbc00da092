import { createHash } from 'node:crypto';
import path from 'node:path';

/** Options of `deriveQueueRunId`. */
export type DeriveQueueRunIdOptions = {
  /** The project folder. */
  projectDir: string;
  /** The dataset file (resolved against `projectDir`). */
  dataset: string;
  /** The template id or entry path as given to `render`. */
  template: string;
  /** The output folder, when not the default (two batches of one dataset into two folders are two batches). */
  outDir?: string | null;
};

/**
 * A `runId` for `createQueueRunner` that stays the same when the same batch is started again — same project, dataset,
 * template and output folder — so a coordinator killed and restarted finds its jobs instead of enqueuing them again.
 * (The journal's run id cannot serve: every `render` begins a new journal run.) Readable prefix + 16 hex digits.
 *
 * @example
 * deriveQueueRunId({ projectDir: '/srv/p', dataset: 'datasets/leads.csv', template: 'welcome' }); // 'leads-welcome-3f2a…'
 */
export function deriveQueueRunId(options: DeriveQueueRunIdOptions): string {
  const projectDir = path.resolve(options.projectDir);
  const dataset = path.resolve(projectDir, options.dataset);
  const outDir = options.outDir ? path.resolve(projectDir, options.outDir) : '';
  const hash = createHash('sha256').update(JSON.stringify([projectDir, dataset, options.template, outDir])).digest('hex').slice(0, 16);
  // A template given as templates/welcome/index.tsx is called after its folder.
  const template = /(^|[\\/])index\.[a-z]+$/i.test(options.template) ? path.basename(path.dirname(options.template)) : path.basename(options.template);
  const label = `${path.basename(dataset).replace(/\.[^.]*$/, '')}-${template.replace(/\.[^.]*$/, '')}`
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .slice(0, 48);
  return `${label}-${hash}`;
}

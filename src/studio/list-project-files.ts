import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetFormat } from '../dataset/index.js';
import { TEMPLATE_ENTRY_NAMES } from '../template/index.js';
import { toProjectRef } from './to-project-ref.js';
import type { StudioDatasetEntry, StudioTemplateEntry } from './types.js';

/** Dataset formats by extension (the dataset stage's own rule). */
export const DATASET_EXTENSIONS: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** How deep under `datasets/` data files are looked for. */
const DATASET_DEPTH = 3;

/** Options of `listProjectFiles`. */
export type ListProjectFilesOptions = {
  /** The project folder (absolute). */
  projectDir: string;
  /** Default `<projectDir>/templates`. */
  templatesDir?: string;
  /** Default `<projectDir>/datasets`. */
  datasetsDir?: string;
};

/** What `listProjectFiles` found. */
export type ListProjectFilesResult = { templates: StudioTemplateEntry[]; datasets: StudioDatasetEntry[] };

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}

async function findDatasets(projectDir: string, dir: string, depth: number, found: StudioDatasetEntry[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth > 1) await findDatasets(projectDir, full, depth - 1, found);
      continue;
    }
    const format = DATASET_EXTENSIONS[path.extname(entry.name).toLowerCase()];
    if (format && entry.isFile()) found.push({ ref: toProjectRef(projectDir, full), name: entry.name, format });
  }
}

/**
 * Lists the templates (folders of `templates/` holding an entry file) and the datasets (data files under
 * `datasets/`, three levels deep) of a project, sorted by name.
 *
 * @example
 * const { templates, datasets } = await listProjectFiles({ projectDir: '/work/demo' });
 */
export async function listProjectFiles(options: ListProjectFilesOptions): Promise<ListProjectFilesResult> {
  const projectDir = path.resolve(options.projectDir);
  const templatesDir = options.templatesDir ?? path.join(projectDir, 'templates');
  const datasetsDir = options.datasetsDir ?? path.join(projectDir, 'datasets');
  const templates: StudioTemplateEntry[] = [];
  const folders = await readdir(templatesDir, { withFileTypes: true }).catch(() => []);
  for (const folder of folders) {
    if (!folder.isDirectory() || folder.name.startsWith('.')) continue;
    for (const name of TEMPLATE_ENTRY_NAMES) {
      const entry = path.join(templatesDir, folder.name, name);
      if (await isFile(entry)) {
        templates.push({ id: folder.name, ref: toProjectRef(projectDir, entry) });
        break;
      }
    }
  }
  const datasets: StudioDatasetEntry[] = [];
  await findDatasets(projectDir, datasetsDir, DATASET_DEPTH, datasets);
  templates.sort((a, b) => a.id.localeCompare(b.id));
  datasets.sort((a, b) => a.ref.localeCompare(b.ref));
  return { templates, datasets };
}

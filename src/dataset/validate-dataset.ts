import { describeUnusedColumns, type UnusedColumnNote } from './describe-unused-columns.js';
import { readDataset } from './read-dataset.js';
import type { ColumnMapping, DatasetFormat, ReadDatasetOptions, RowProblem } from './types.js';

/** Options of `validateDataset`: those of `readDataset`, plus a cap on kept problems. */
export type ValidateDatasetOptions = ReadDatasetOptions & {
  /** Keep at most this many problems (counts stay exact); default: keep all. */
  maxProblems?: number;
};

/** The verdict on a whole dataset. */
export type ValidateDatasetResult = {
  /** Absolute path of the dataset file. */
  file: string;
  /** The file name used in messages. */
  fileLabel: string;
  /** The format the file was read as. */
  format: DatasetFormat;
  /** Column names as found in the file. */
  columns: readonly string[];
  /** Which column feeds which slot; `unmappedColumns` are worth an info line. */
  mapping: ColumnMapping;
  /** The unmapped columns in words (`describeUnusedColumns`): a did-you-mean for a column close to a slot without one. */
  unusedColumns: UnusedColumnNote[];
  /** Data rows read. */
  total: number;
  /** Rows that passed. */
  valid: number;
  /** Rows with at least one problem. */
  invalid: number;
  /** Problems of the invalid rows, in file order. */
  problems: RowProblem[];
  /** Problems left out because of `maxProblems`. */
  problemsOmitted: number;
};

/** By default every problem is kept. */
export const DEFAULT_MAX_PROBLEMS = Number.POSITIVE_INFINITY;

/**
 * Reads a whole dataset and reports on it, for `reelwright validate`: row counts and every
 * problem, each ready for `formatProblem`. Streams: valid rows are counted and dropped, so memory
 * grows only with the problems kept (cap it with `maxProblems`). File-level problems throw as in
 * `readDataset`.
 *
 * @example
 * const report = await validateDataset({ file: 'datasets/broken.csv', template });
 * for (const problem of report.problems) console.log(formatProblem(problem, report.fileLabel));
 * console.log(`${report.valid} of ${report.total} rows are valid`);
 * @see readDataset
 */
export async function validateDataset(options: ValidateDatasetOptions): Promise<ValidateDatasetResult> {
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const dataset = await readDataset(options);
  const problems: RowProblem[] = [];
  let total = 0;
  let valid = 0;
  let problemsOmitted = 0;
  for await (const result of dataset.rows) {
    total++;
    if (result.ok) {
      valid++;
      continue;
    }
    for (const problem of result.problems) {
      if (problems.length < maxProblems) problems.push(problem);
      else problemsOmitted++;
    }
  }
  return {
    file: dataset.file,
    fileLabel: dataset.fileLabel,
    format: dataset.format,
    columns: dataset.columns,
    mapping: dataset.mapping,
    unusedColumns: describeUnusedColumns({ mapping: dataset.mapping, template: options.template, fileLabel: dataset.fileLabel }),
    total,
    valid,
    invalid: total - valid,
    problems,
    problemsOmitted,
  };
}

import type { RowProblem } from './types.js';

/**
 * The one-line message for a row problem, as `reelwright validate` prints it:
 * `welcome.csv line 14, column "price": expected a number, got "12,50". Use "." as the decimal separator.`
 *
 * @param problem - A problem from `readDataset` / `validateDataset`.
 * @param fileLabel - How to name the file, usually its base name (`ReadDatasetResult.fileLabel`).
 * @example
 * for (const problem of result.problems) console.log(formatProblem(problem, result.fileLabel));
 */
export function formatProblem(problem: RowProblem, fileLabel: string): string {
  const where = problem.column !== null ? `, column "${problem.column}"` : problem.slot !== null ? `, slot "${problem.slot}"` : '';
  return `${fileLabel} line ${problem.line}${where}: ${problem.message}`;
}

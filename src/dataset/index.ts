/**
 * @module dataset
 * Owns reading datasets (CSV/TSV through papaparse, JSON arrays, NDJSON — all streamed), mapping
 * columns to template slots, coercing cells to slot types, validating rows against the template's
 * JSON Schema (ajv), and naming rows (row key and row hash). Messages are written for the person
 * who edits the spreadsheet.
 * Never plans, renders, calls providers or writes files; never reads a row value as a path
 * outside the dataset folder (or the allowed image roots).
 */
export { readDataset } from './read-dataset.js';
export { validateDataset, DEFAULT_MAX_PROBLEMS } from './validate-dataset.js';
export { formatProblem } from './format-problem.js';
export { mapColumns } from './map-columns.js';
export { describeUnusedColumns } from './describe-unused-columns.js';
export { coerceCell } from './coerce-cell.js';
export { createRowContext } from './create-row-context.js';
export { validateRow } from './validate-row.js';
export { rowKey } from './row-key.js';
export { sniffImageType, IMAGE_SNIFF_BYTES, IMAGE_FORMAT_NAMES } from './sniff-image-type.js';
export { readCsvRecords, DEFAULT_MAX_RECORD_CHARS } from './read-csv-records.js';
export { readJsonRecords } from './read-json-records.js';
export type {
  DatasetFormat,
  DatasetTemplate,
  DataSlot,
  RawRecord,
  RecordSource,
  ColumnMatch,
  SlotColumn,
  ColumnMapping,
  ProblemRule,
  RowProblem,
  DatasetRow,
  RowResult,
  ReadDatasetOptions,
  ReadDatasetResult,
} from './types.js';
export type { ValidateDatasetOptions, ValidateDatasetResult } from './validate-dataset.js';
export type { MapColumnsOptions } from './map-columns.js';
export type { DescribeUnusedColumnsOptions, UnusedColumnNote } from './describe-unused-columns.js';
export type { CoerceCellOptions, CoerceCellResult, ImageRoots } from './coerce-cell.js';
export type { CreateRowContextOptions, RowContext, RowField } from './create-row-context.js';
export type { ValidateRowOptions, ValidateRowResult } from './validate-row.js';
export type { RowKeyOptions, RowKeyResult } from './row-key.js';
export type { SniffedImageType } from './sniff-image-type.js';
export type { ReadCsvRecordsOptions } from './read-csv-records.js';
export type { ReadJsonRecordsOptions } from './read-json-records.js';

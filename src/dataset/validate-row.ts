import type { ErrorObject } from 'ajv';
import type { RowValues } from '../template/index.js';
import { coerceCell } from './coerce-cell.js';
import type { RowContext, RowField } from './create-row-context.js';
import { shortenValue } from './shorten-value.js';
import type { ProblemRule, RawRecord, RowProblem } from './types.js';

/** Options of `validateRow`. */
export type ValidateRowOptions = {
  /** The record as read. */
  record: RawRecord;
  /** Prepared once per dataset by `createRowContext`. */
  context: RowContext;
};

/**
 * The outcome of one row.
 * - `ok: true`: every cell is valid; `values` holds the coerced values.
 * - `ok: false`: `problems` lists every rule broken; `values` holds the cells that were valid.
 */
export type ValidateRowResult = { ok: true; values: RowValues } | { ok: false; values: RowValues; problems: RowProblem[] };

function cellOf(record: RawRecord, field: RowField): unknown {
  // hasOwn: a JSON record without the key must not pick up Object.prototype members ("constructor").
  return field.column !== null && Object.hasOwn(record.cells, field.column) ? record.cells[field.column] : undefined;
}

function shown(raw: unknown): string {
  return shortenValue(typeof raw === 'string' ? raw.trim() : raw);
}

function codePoints(value: unknown): number {
  return typeof value === 'string' ? Array.from(value).length : 0;
}

/** Words for a rule the schema found broken (coercion already caught wrong types and formats). */
function describeSchemaError(error: ErrorObject, field: RowField, value: unknown): { rule: ProblemRule; message: string } {
  const limit = (error.params as { limit?: number }).limit;
  switch (error.keyword) {
    case 'maxLength':
      return { rule: 'maxLength', message: `expected at most ${limit} characters, got ${codePoints(value)}. Shorten it.` };
    case 'minLength':
      return field.definition.kind === 'image'
        ? { rule: 'image', message: 'expected an image URL or path, got an empty value.' }
        : field.definition.kind === 'audio'
          ? { rule: 'audio', message: 'expected an audio file URL or path, got an empty value.' }
        : { rule: 'minLength', message: `expected at least ${limit} characters, got ${codePoints(value)}.` };
    case 'maximum':
      return { rule: 'max', message: `expected a number no greater than ${limit}, got ${String(value)}.` };
    case 'minimum':
      return { rule: 'min', message: `expected a number of at least ${limit}, got ${String(value)}.` };
    case 'type':
      return (error.params as { type?: string }).type === 'integer'
        ? { rule: 'integer', message: `expected a whole number, got ${String(value)}.` }
        : { rule: 'type', message: `expected ${String((error.params as { type?: string }).type)}, got ${JSON.stringify(shortenValue(value))}.` };
    case 'enum':
      return { rule: 'choice', message: `expected one of ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(shortenValue(value))}.` };
    case 'pattern':
      return { rule: 'color', message: `expected a colour like "#4f46e5" or "#fff", got ${JSON.stringify(shortenValue(value))}.` };
    case 'format':
      return { rule: 'date', message: `expected a date written as YYYY-MM-DD, got ${JSON.stringify(shortenValue(value))}.` };
    case 'required':
      return { rule: 'required', message: 'this cell is empty, but a value is required.' };
    default:
      return { rule: 'type', message: `${error.message ?? 'is not valid'}.` };
  }
}

/**
 * Validates one record: coerces each mapped cell to its slot's type (trim, numbers, colours,
 * dates, choices, image paths; empty → default), then checks the declared rules (lengths,
 * ranges, whole numbers) with the template's compiled JSON Schema. Every problem in the row is
 * reported, each naming the column, the value received and the fix, in plain words.
 *
 * @example
 * const result = validateRow({ record: { line: 2, index: 0, cells: { name: ' Ada ' } }, context });
 * if (result.ok) result.values.name; // 'Ada'
 * @see createRowContext
 */
export function validateRow(options: ValidateRowOptions): ValidateRowResult {
  const { record, context } = options;
  const values: Record<string, string | number> = {};
  if (record.defect !== undefined) {
    return { ok: false, values, problems: [{ line: record.line, index: record.index, column: null, slot: null, value: '', rule: 'record', message: record.defect }] };
  }
  let problems: RowProblem[] | null = null;
  for (const field of context.fields) {
    const raw = cellOf(record, field);
    const result = coerceCell({ slot: field.definition, value: raw, images: context.images });
    if (result.ok) {
      if (result.value !== undefined) values[field.slot] = result.value;
    } else {
      (problems ??= []).push({ line: record.line, index: record.index, column: field.column, slot: field.slot, value: shown(raw), rule: result.rule, message: result.message });
    }
  }
  if (!context.validate(values)) {
    for (const error of context.validate.errors ?? []) {
      const slot = error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : error.instancePath.slice(1);
      // One problem per slot: the first (coercion's, or the schema's first) is the useful one.
      if (problems?.some((problem) => problem.slot === slot)) continue;
      const field = context.fields.find((f) => f.slot === slot);
      if (!field) continue;
      const { rule, message } = describeSchemaError(error, field, values[slot]);
      (problems ??= []).push({ line: record.line, index: record.index, column: field.column, slot, value: shown(cellOf(record, field)), rule, message });
    }
  }
  if (!problems) return { ok: true, values };
  if (problems.length > 1) {
    const order = (slot: string | null) => context.fields.findIndex((f) => f.slot === slot);
    problems.sort((a, b) => order(a.slot) - order(b.slot));
  }
  return { ok: false, values, problems };
}

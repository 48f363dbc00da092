import { DatasetError } from '../errors/index.js';
import type { Slot } from '../template/index.js';
import { normalizeColumnName, suggestColumn } from './suggest-column.js';
import type { ColumnMapping, ColumnMatch, DatasetTemplate, SlotColumn } from './types.js';

/** Options of `mapColumns`. */
export type MapColumnsOptions = {
  /** Column names found in the file, in file order. */
  columns: readonly string[];
  /** The template whose slots need columns. */
  template: DatasetTemplate;
  /** Explicit column → slot overrides (`--map column=slot`). */
  map?: Readonly<Record<string, string>> | null;
  /** File name used in messages. */
  fileLabel: string;
  /**
   * `true` (default): a missing required column, two columns matching one slot equally well,
   * or a bad override throws. `false`: never throws for those; the first matching column wins
   * (used for JSON keys that first appear after the first record).
   */
  strict?: boolean;
};

/** Match strength, best first. */
const RANK: Record<Exclude<ColumnMatch, 'none'>, number> = { map: 0, exact: 1, name: 2, alias: 3 };

const normalize = normalizeColumnName;

function quoteList(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.map((n) => `"${n}"`).join(', ');
}

function isRequired(slot: Slot): boolean {
  return slot.kind !== 'broll' && !slot.optional && slot.default === undefined;
}

function missingColumnError(missing: readonly string[], options: MapColumnsOptions, unmapped: readonly string[]): DatasetError {
  const { template, fileLabel, columns } = options;
  const fixes = missing.map((name) => {
    const slot = template.slots[name] as Slot;
    const wanted = new Set([name, ...(slot.aliases ?? [])].map(normalize));
    const taken = Object.entries(options.map ?? {}).find(([column]) => wanted.has(normalize(column)));
    if (taken) return `column "${taken[0]}" would match, but --map sends it to slot "${taken[1]}". Map another column to "${name}" with --map "<your column>=${name}", or change that --map`;
    const accepted = slot.aliases && slot.aliases.length > 0 ? ` (or one of its aliases ${quoteList(slot.aliases)})` : '';
    const guess = suggestColumn(name, slot, unmapped);
    return guess
      ? `rename column "${guess}" to "${name}"${accepted}, add "${guess}" to the aliases of slot "${name}" in the template, or pass --map "${guess}=${name}"`
      : `add a column named "${name}"${accepted}, add your column's name to the aliases of slot "${name}" in the template, or pass --map "<your column>=${name}"`;
  });
  const found = `Columns found: ${quoteList(columns)}.`;
  if (missing.length === 1) {
    return new DatasetError(
      `${fileLabel} has no column for the required slot "${missing[0]}" of template "${template.id}". ${found} To fix it, ${fixes[0]}.`,
      { code: 'RW_DATASET_MISSING_COLUMN' },
    );
  }
  return new DatasetError(
    `${fileLabel} has no columns for the required slots ${quoteList(missing)} of template "${template.id}". ${found} To fix it:\n` +
      missing.map((name, i) => `  - "${name}": ${fixes[i]}.`).join('\n'),
    { code: 'RW_DATASET_MISSING_COLUMN' },
  );
}

/**
 * Works out which file column feeds each data slot of a template. A column matches a slot, best
 * first: by an explicit `map` override, by exact name, by name ignoring case, spaces,
 * underscores and dashes, or by one of the slot's `aliases` (same leniency). B-roll slots are
 * generated from their prompt and never need a column. Columns that feed nothing are listed in
 * `unmappedColumns` (fine, worth an info line).
 *
 * @throws DatasetError (strict mode only) `RW_DATASET_MISSING_COLUMN` once, naming every
 *   required slot without a column, the columns found and how to fix it;
 *   `RW_DATASET_AMBIGUOUS_COLUMN` when two columns match one slot equally well;
 *   `RW_DATASET_BAD_MAP` when an override names an unknown column or slot.
 * @example
 * mapColumns({ columns: ['Full Name', 'E-Mail'], template, map: { 'Full Name': 'name' }, fileLabel: 'people.csv' });
 * // { slots: { name: { column: 'Full Name', match: 'map' }, email: { column: 'E-Mail', match: 'name' } }, unmappedColumns: [] }
 */
export function mapColumns(options: MapColumnsOptions): ColumnMapping {
  const { columns, template, fileLabel } = options;
  const strict = options.strict ?? true;
  const slotEntries = Object.entries(template.slots).filter(([, slot]) => slot.kind !== 'broll');
  const slotNames = slotEntries.map(([name]) => name);

  const byName = new Map<string, string>();
  const byAlias = new Map<string, string>();
  for (const [name, slot] of slotEntries) {
    if (!byName.has(normalize(name))) byName.set(normalize(name), name);
    for (const alias of slot.aliases ?? []) if (!byAlias.has(normalize(alias))) byAlias.set(normalize(alias), name);
  }

  const overrides = new Map<string, string>();
  const overriddenSlots = new Set<string>();
  for (const [column, slotName] of Object.entries(options.map ?? {})) {
    const slot = template.slots[slotName];
    if (!strict) {
      if (slot && slot.kind !== 'broll') overrides.set(column, slotName);
      continue;
    }
    if (!slot) {
      throw new DatasetError(`--map "${column}=${slotName}": template "${template.id}" has no slot "${slotName}". Its slots are ${quoteList(slotNames)}.`, { code: 'RW_DATASET_BAD_MAP' });
    }
    if (slot.kind === 'broll') {
      throw new DatasetError(`--map "${column}=${slotName}": slot "${slotName}" is AI B-roll, made from its prompt, so no column can feed it. Map the columns its prompt uses instead.`, { code: 'RW_DATASET_BAD_MAP' });
    }
    if (!columns.includes(column)) {
      throw new DatasetError(`--map "${column}=${slotName}": ${fileLabel} has no column "${column}". Columns found: ${quoteList(columns)}. Column names in --map must match exactly.`, { code: 'RW_DATASET_BAD_MAP' });
    }
    if (overriddenSlots.has(slotName)) {
      throw new DatasetError(`--map names more than one column for slot "${slotName}". Keep one.`, { code: 'RW_DATASET_BAD_MAP' });
    }
    overrides.set(column, slotName);
    overriddenSlots.add(slotName);
  }

  const best = new Map<string, { column: string; match: Exclude<ColumnMatch, 'none'> }>();
  for (const column of columns) {
    let slotName: string | undefined;
    let match: Exclude<ColumnMatch, 'none'>;
    if (overrides.has(column)) {
      slotName = overrides.get(column);
      match = 'map';
    } else if (Object.hasOwn(template.slots, column) && template.slots[column]?.kind !== 'broll') {
      slotName = column;
      match = 'exact';
    } else if ((slotName = byName.get(normalize(column)))) {
      match = 'name';
    } else if ((slotName = byAlias.get(normalize(column)))) {
      match = 'alias';
    } else continue;
    if (slotName === undefined) continue;
    // An explicit override claims the slot; other columns matching it by name are ignored.
    if (match !== 'map' && overrides.size > 0 && [...overrides.values()].includes(slotName)) continue;
    const current = best.get(slotName);
    if (!current || RANK[match] < RANK[current.match]) {
      best.set(slotName, { column, match });
    } else if (RANK[match] === RANK[current.match] && strict) {
      const detail =
        current.column === column
          ? `has two columns named "${column}"; rename or remove one`
          : `has columns "${current.column}" and "${column}" that both match slot "${slotName}"; rename or remove one, or choose with --map "${current.column}=${slotName}"`;
      throw new DatasetError(`${fileLabel} ${detail}.`, { code: 'RW_DATASET_AMBIGUOUS_COLUMN' });
    }
  }

  const slots: Record<string, SlotColumn> = {};
  const used = new Set<string>();
  for (const name of slotNames) {
    const found = best.get(name);
    slots[name] = found ? { column: found.column, match: found.match } : { column: null, match: 'none' };
    if (found) used.add(found.column);
  }
  const unmappedColumns = [...new Set(columns.filter((column) => !used.has(column)))];

  if (strict) {
    const missing = slotEntries.filter(([name, slot]) => isRequired(slot) && slots[name]?.column === null).map(([name]) => name);
    if (missing.length > 0) throw missingColumnError(missing, options, unmappedColumns);
  }
  return { slots, unmappedColumns };
}

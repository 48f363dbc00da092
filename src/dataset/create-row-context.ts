import { realpathSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { ConfigError, TemplateError } from '../errors/index.js';
import { slotsToJsonSchema, type SlotMap } from '../template/index.js';
import { coerceCell, type ImageRoots } from './coerce-cell.js';
import type { ColumnMapping, DatasetTemplate, DataSlot } from './types.js';

/** Options of `createRowContext`. */
export type CreateRowContextOptions = {
  /** The template whose slots the rows fill. */
  template: DatasetTemplate;
  /** Which column feeds which slot (from `mapColumns`). */
  mapping: ColumnMapping;
  /** Folder image paths resolve from and must stay inside: the dataset file's folder, or an assets folder the caller chose. */
  baseDir: string;
  /** How messages name `baseDir` ("the assets folder (/srv/inbox)"); default "the dataset folder". */
  baseLabel?: string | null;
  /** Extra folders images may be in (absolute, or relative to the current directory). */
  allowedImageRoots?: readonly string[] | null;
};

/** One data slot and the column that feeds it. */
export type RowField = {
  /** Slot name. */
  slot: string;
  /** Slot declaration. */
  definition: DataSlot;
  /** The file's column, or `null` when the slot takes its default / stays empty. */
  column: string | null;
};

/**
 * Everything `validateRow` needs, prepared once per dataset so that each row costs only its
 * own work: the fields in template order, the compiled row schema, image roots and key facts.
 */
export type RowContext = {
  /** The template. */
  template: DatasetTemplate;
  /** Data slots with their columns, in template order. `column` may be filled in later for JSON keys first seen after the first record. */
  fields: RowField[];
  /** The ajv validator of `slotsToJsonSchema(template.slots)`, compiled once per template. */
  validate: ValidateFunction;
  /** Where image paths may point. */
  images: ImageRoots;
  /** The template's `rowKey` slot, or `null` to key rows by a hash of their values. */
  keySlot: string | null;
  /** Data slot names sorted: the key order of the canonical row JSON used for hashes. */
  slotOrder: readonly string[];
  /** Names of image and audio slots, the file slots (their absolute paths are hashed relative to `images.baseDir`). */
  imageSlots: ReadonlySet<string>;
};

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

let ajv: Ajv | null = null;
const compiled = new WeakMap<SlotMap, ValidateFunction>();

/** Compiles the row schema once per template (slots object), with every error reported. */
function compileRowSchema(slots: SlotMap): ValidateFunction {
  let validate = compiled.get(slots);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv({ allErrors: true, strict: true });
      addFormats(ajv, ['date']);
    }
    validate = ajv.compile(slotsToJsonSchema(slots));
    compiled.set(slots, validate);
  }
  return validate;
}

function realRoot(folder: string, option: string): string {
  try {
    return realpathSync(folder);
  } catch (error) {
    throw new ConfigError(`${option}: folder ${folder} does not exist or cannot be read.`, { code: 'RW_CONFIG_INVALID', cause: error });
  }
}

/**
 * Prepares validation of a dataset's rows against a template: compiles the row JSON Schema
 * (once per template, cached), pairs each data slot with its column, resolves the folders image
 * paths may point into, and checks the template's defaults.
 *
 * @throws TemplateError `RW_TEMPLATE_INVALID_DEFAULT` when a slot's default breaks its own kind
 *   (a colour default of "blue"). ConfigError `RW_CONFIG_INVALID` when an allowed image root is missing.
 * @example
 * const context = createRowContext({ template, mapping, baseDir: '/data' });
 * const result = validateRow({ record, context });
 */
export function createRowContext(options: CreateRowContextOptions): RowContext {
  const { template, mapping } = options;
  const baseDir = path.resolve(options.baseDir);
  const extra = (options.allowedImageRoots ?? []).map((root) => path.resolve(root));
  const roots = [baseDir, ...extra];
  const realRoots = [realRoot(baseDir, options.baseLabel ?? 'dataset folder'), ...extra.map((root) => realRoot(root, 'allowedImageRoots'))];
  const images: ImageRoots = { baseDir, ...(options.baseLabel ? { baseLabel: options.baseLabel } : {}), roots, realRoots, cache: new Map() };

  const fields: RowField[] = [];
  const imageSlots = new Set<string>();
  for (const [slot, definition] of Object.entries(template.slots)) {
    if (definition.kind === 'broll') continue;
    // Audio files follow the image rules: a URL, or a path resolved and confined like an image path.
    if (definition.kind === 'image' || definition.kind === 'audio') imageSlots.add(slot);
    else if (definition.default !== undefined) {
      const checked = coerceCell({ slot: definition, value: definition.default, images });
      if (!checked.ok) {
        throw new TemplateError(`Template "${template.id}": the default of slot "${slot}" is not valid: ${checked.message}`, { code: 'RW_TEMPLATE_INVALID_DEFAULT' });
      }
    }
    fields.push({ slot, definition, column: mapping.slots[slot]?.column ?? null });
  }

  return {
    template,
    fields,
    validate: compileRowSchema(template.slots),
    images,
    keySlot: template.rowKey ?? null,
    slotOrder: fields.map((field) => field.slot).sort(),
    imageSlots,
  };
}

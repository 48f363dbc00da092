import type { Slot, SlotMap } from './types.js';

/**
 * The JSON Schema of one slot's value in a validated row (draft-07 subset; plain JSON).
 * Only keywords ajv knows in strict mode are used, so the schema compiles without warnings.
 */
export type SlotJsonSchema = {
  type: 'string' | 'number' | 'integer';
  title?: string;
  description?: string;
  default?: string | number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: 'date';
  enum?: readonly string[];
};

/** The JSON Schema of a validated row: one property per data slot. */
export type RowJsonSchema = {
  type: 'object';
  properties: Record<string, SlotJsonSchema>;
  required: string[];
  additionalProperties: false;
};

/**
 * Accepted colour spellings: `#rgb` or `#rrggbb`, any case. The dataset stage normalises
 * cells to lowercase `#rrggbb` before validating, but hand-written rows may use either form.
 */
const COLOR_PATTERN = '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$';

function slotSchema(slot: Exclude<Slot, { kind: 'broll' }>): SlotJsonSchema {
  const schema: SlotJsonSchema = { type: 'string' };
  switch (slot.kind) {
    case 'text':
      if (slot.minLength !== undefined) schema.minLength = slot.minLength;
      if (slot.maxLength !== undefined) schema.maxLength = slot.maxLength;
      break;
    case 'number':
      schema.type = slot.integer ? 'integer' : 'number';
      if (slot.min !== undefined) schema.minimum = slot.min;
      if (slot.max !== undefined) schema.maximum = slot.max;
      break;
    case 'color':
      schema.pattern = COLOR_PATTERN;
      break;
    case 'image':
    case 'audio':
      schema.minLength = 1;
      break;
    case 'date':
      schema.format = 'date';
      break;
    case 'choice':
      schema.enum = [...slot.options];
      break;
  }
  if (slot.label !== undefined) schema.title = slot.label;
  if (slot.description !== undefined) schema.description = slot.description;
  if (slot.default !== undefined) schema.default = slot.default;
  return schema;
}

/**
 * Derives the JSON Schema that a validated row (slot name → coerced value) must satisfy.
 *
 * - Every slot except `broll` becomes a property; B-roll is generated from its prompt, never read
 *   from the dataset, so it is not part of a row.
 * - A slot is `required` unless it is `optional` with no `default` (the same rule as `SlotProps`):
 *   a slot with a default always has a value once defaults are applied.
 * - Text lengths are Unicode code points (ajv's default), dates use the `date` format
 *   (register it with `ajv-formats`), colours accept `#rgb` and `#rrggbb`.
 *
 * Pure and browser-safe: the studio uses it for its form as well.
 *
 * @param slots - The template's slots by name.
 * @returns A plain-JSON draft-07 schema object.
 * @example
 * const schema = slotsToJsonSchema({ name: { kind: 'text', maxLength: 40 } });
 * // { type: 'object', properties: { name: { type: 'string', maxLength: 40 } }, required: ['name'], additionalProperties: false }
 * @see RowValues
 */
export function slotsToJsonSchema(slots: SlotMap): RowJsonSchema {
  const properties: Record<string, SlotJsonSchema> = {};
  const required: string[] = [];
  for (const [name, slot] of Object.entries(slots)) {
    if (slot.kind === 'broll') continue;
    properties[name] = slotSchema(slot);
    if (!slot.optional || slot.default !== undefined) required.push(name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { slotsToJsonSchema } from './index.js';
import type { SlotMap } from './index.js';

const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

const slots = {
  name: { kind: 'text', maxLength: 5, label: 'Name', description: 'Who the video greets' },
  price: { kind: 'number', min: 0, max: 100 },
  seats: { kind: 'number', integer: true, optional: true },
  accent: { kind: 'color', default: '#4f46e5' },
  logo: { kind: 'image', optional: true },
  start: { kind: 'date', optional: true },
  plan: { kind: 'choice', options: ['starter', 'pro'], default: 'starter' },
  scene: { kind: 'broll', prompt: 'Aerial footage of {{city}}', seconds: 4 },
} as const satisfies SlotMap;

function compile() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv, ['date']);
  return ajv.compile(slotsToJsonSchema(slots));
}

describe('slotsToJsonSchema', () => {
  it('describes each data slot kind with the matching JSON Schema keywords', () => {
    const schema = slotsToJsonSchema(slots);
    expect(schema.properties).toEqual({
      name: { type: 'string', maxLength: 5, title: 'Name', description: 'Who the video greets' },
      price: { type: 'number', minimum: 0, maximum: 100 },
      seats: { type: 'integer' },
      accent: { type: 'string', pattern: '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$', default: '#4f46e5' },
      logo: { type: 'string', minLength: 1 },
      start: { type: 'string', format: 'date' },
      plan: { type: 'string', enum: ['starter', 'pro'], default: 'starter' },
    });
    expect(schema.additionalProperties).toBe(false);
  });

  it('leaves B-roll out because it is generated, not read from the dataset', () => {
    expect(slotsToJsonSchema(slots).properties).not.toHaveProperty('scene');
  });

  it('requires every slot except optional ones without a default', () => {
    expect(slotsToJsonSchema(slots).required).toEqual(['name', 'price', 'accent', 'plan']);
  });

  it('compiles in ajv strict mode and accepts a valid row', () => {
    const validate = compile();
    expect(validate({ name: 'Ada', price: 3.5, seats: 2, accent: '#fff', plan: 'pro', start: '2026-03-14' })).toBe(true);
  });

  it('counts text length in Unicode code points, not UTF-16 units', () => {
    const validate = compile();
    expect(validate({ name: '👋👋👋👋👋', price: 1, accent: '#fff', plan: 'pro' })).toBe(true);
    expect(validate({ name: '👋👋👋👋👋👋', price: 1, accent: '#fff', plan: 'pro' })).toBe(false);
    expect(validate.errors?.[0]?.keyword).toBe('maxLength');
  });

  it('rejects impossible dates, fractions for integers and values outside the range', () => {
    const validate = compile();
    expect(validate({ name: 'Ada', price: 101, seats: 1.5, accent: 'blue', plan: 'gold', start: '2026-02-30' })).toBe(false);
    expect(new Set(validate.errors?.map((e) => e.keyword))).toEqual(new Set(['maximum', 'type', 'pattern', 'enum', 'format']));
  });
});

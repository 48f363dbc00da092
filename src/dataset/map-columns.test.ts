import { describe, expect, it } from 'vitest';
import { defineTemplate } from '../template/index.js';
import { mapColumns } from './index.js';

const template = defineTemplate({
  id: 'welcome',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 5,
  component: () => null,
  slots: {
    name: { kind: 'text', maxLength: 40 },
    company: { kind: 'text' },
    accent: { kind: 'color', default: '#4f46e5' },
    city: { kind: 'text' },
    email: { kind: 'text', optional: true, aliases: ['mail', 'courriel'] },
    start_date: { kind: 'date', optional: true },
    scene: { kind: 'broll', prompt: 'Aerial dusk footage of {{city}}', seconds: 4 },
  },
});

function map(columns: string[], overrides?: Record<string, string>) {
  return mapColumns({ columns, template, map: overrides ?? null, fileLabel: 'people.csv' });
}

describe('mapColumns', () => {
  it('matches exact names, then names ignoring case, spaces, underscores and dashes, then aliases', () => {
    const mapping = map(['name', 'COMPANY', 'City ', 'Start-Date', 'Courriel', 'notes']);
    expect(mapping.slots).toEqual({
      name: { column: 'name', match: 'exact' },
      company: { column: 'COMPANY', match: 'name' },
      accent: { column: null, match: 'none' },
      city: { column: 'City ', match: 'name' },
      email: { column: 'Courriel', match: 'alias' },
      start_date: { column: 'Start-Date', match: 'name' },
    });
    expect(mapping.unmappedColumns).toEqual(['notes']);
  });

  it('prefers the better match when two columns could feed one slot', () => {
    const mapping = map(['Name', 'name', 'company', 'city', 'mail', 'e-mail']);
    expect(mapping.slots['name']).toEqual({ column: 'name', match: 'exact' });
    expect(mapping.slots['email']).toEqual({ column: 'e-mail', match: 'name' });
    expect(mapping.unmappedColumns).toEqual(['Name', 'mail']);
  });

  it('lets an explicit --map override win over a column with the slot name', () => {
    const mapping = map(['Full Name', 'name', 'company', 'city'], { 'Full Name': 'name' });
    expect(mapping.slots['name']).toEqual({ column: 'Full Name', match: 'map' });
    expect(mapping.unmappedColumns).toEqual(['name']);
  });

  it('never maps or requires B-roll slots', () => {
    const mapping = map(['name', 'company', 'city', 'scene']);
    expect(mapping.slots).not.toHaveProperty('scene');
    expect(mapping.unmappedColumns).toEqual(['scene']);
  });

  it('reports a missing required column with the file, the columns found and three ways to fix it', () => {
    expect(() => map(['Full Name', 'company', 'city'])).toThrowError(
      expect.objectContaining({
        code: 'RW_DATASET_MISSING_COLUMN',
        message: expect.stringMatching(
          /^people\.csv has no column for the required slot "name" of template "welcome"\. Columns found: "Full Name", "company", "city"\. To fix it, rename column "Full Name" to "name", add "Full Name" to the aliases of slot "name" in the template, or pass --map "Full Name=name"\.$/,
        ),
      }),
    );
  });

  it('names every missing required slot in one error', () => {
    try {
      map(['Full Name', 'Firm']);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'RW_DATASET_MISSING_COLUMN' });
      const message = (error as Error).message;
      expect(message).toMatch(/required slots "name", "company", "city"/);
      expect(message).toMatch(/- "city": add a column named "city", .*--map "<your column>=city"/);
    }
  });

  it('refuses two columns that match one slot equally well', () => {
    expect(() => map(['Company', 'COMPANY', 'name', 'city'])).toThrowError(
      expect.objectContaining({ code: 'RW_DATASET_AMBIGUOUS_COLUMN', message: expect.stringMatching(/"Company" and "COMPANY" that both match slot "company".*--map/) }),
    );
    expect(() => map(['name', 'name', 'company', 'city'])).toThrowError(expect.objectContaining({ code: 'RW_DATASET_AMBIGUOUS_COLUMN', message: expect.stringMatching(/two columns named "name"/) }));
  });

  it('refuses overrides that name an unknown slot, a B-roll slot or a column that is not there', () => {
    expect(() => map(['name', 'company', 'city'], { name: 'nom' })).toThrowError(expect.objectContaining({ code: 'RW_DATASET_BAD_MAP', message: expect.stringMatching(/no slot "nom"/) }));
    expect(() => map(['name', 'company', 'city', 'view'], { view: 'scene' })).toThrowError(expect.objectContaining({ code: 'RW_DATASET_BAD_MAP', message: expect.stringMatching(/B-roll/) }));
    expect(() => map(['name', 'company', 'city'], { Town: 'city' })).toThrowError(expect.objectContaining({ code: 'RW_DATASET_BAD_MAP', message: expect.stringMatching(/no column "Town"/) }));
  });

  it('in lenient mode maps what it can without throwing', () => {
    const mapping = mapColumns({ columns: ['mail'], template, fileLabel: 'rows.json', strict: false });
    expect(mapping.slots['email']).toEqual({ column: 'mail', match: 'alias' });
    expect(mapping.slots['name']).toEqual({ column: null, match: 'none' });
  });
});

import { describe, expect, it } from 'vitest';
import { defineTemplate } from '../template/index.js';
import { describeUnusedColumns, mapColumns } from './index.js';

const template = defineTemplate({
  id: 'card',
  version: '1',
  fps: 30,
  width: 1280,
  height: 720,
  duration: 5,
  component: () => null,
  slots: {
    name: { kind: 'text' },
    background: { kind: 'image', default: 'bg.png' },
    accent: { kind: 'color', default: '#4f46e5' },
    email: { kind: 'text', optional: true, aliases: ['mail'] },
    scene: { kind: 'broll', prompt: 'Aerial footage of {{name}}', seconds: 4 },
  },
});

function notes(columns: string[], overrides?: Record<string, string>) {
  const mapping = mapColumns({ columns, template, map: overrides ?? null, fileLabel: 'people.csv' });
  return describeUnusedColumns({ mapping, template, fileLabel: 'people.csv' });
}

describe('describeUnusedColumns', () => {
  it('says nothing when every column feeds a slot', () => {
    expect(notes(['name', 'background'])).toEqual([]);
  });

  it('suggests the slot a misspelled optional column was meant for, with the --map that fixes it', () => {
    expect(notes(['name', 'backgrund'])).toEqual([
      {
        columns: ['backgrund'],
        slot: 'background',
        message:
          'people.csv: column "backgrund" is not used by template "card"; did you mean slot "background"? ' +
          'Every row gets its default for "background" now. Rename the column to "background" or pass --map "backgrund=background".',
      },
    ]);
    expect(notes(['name', 'E-mail adress'])[0]).toMatchObject({ slot: 'email', message: /Every row gets no value for "email" now\. .*--map "E-mail adress=email"/ });
  });

  it('lists the columns close to no slot in one note, without a suggestion', () => {
    expect(notes(['name', 'backgrund', 'notes', 'x', 'phone'])).toEqual([
      expect.objectContaining({ columns: ['backgrund'], slot: 'background' }),
      { columns: ['notes', 'x', 'phone'], slot: null, message: 'people.csv: columns "notes", "x", "phone" are not used by template "card".' },
    ]);
    expect(notes(['name', 'notes'])).toEqual([{ columns: ['notes'], slot: null, message: 'people.csv: column "notes" is not used by template "card".' }]);
  });

  it('suggests no slot that already has a column, and each column for one slot at most', () => {
    // "Name" lost to "name"; "accnt" is close to accent, which "accent" already feeds.
    expect(notes(['name', 'Name', 'accent', 'accnt'])).toEqual([expect.objectContaining({ columns: ['Name', 'accnt'], slot: null })]);
    expect(notes(['name', 'backgrond', 'backgrund'])).toEqual([
      expect.objectContaining({ columns: ['backgrond'], slot: 'background' }),
      expect.objectContaining({ columns: ['backgrund'], slot: null }),
    ]);
  });
});

import Handlebars from 'handlebars';
import { describe, expect, it, vi } from 'vitest';
import { normalizePrompt } from '../clips/index.js';
import { HANDLEBARS_COMPILE_OPTIONS, HANDLEBARS_RUNTIME_OPTIONS } from './compile-broll-slots.js';
import { memoizePrompt } from './memoize-prompt.js';

const FIELDS = ['city', 'name', 'seats', 'note'];

/** A memoized prompt and a spy counting the real renders behind it. */
function setup(source: string, maxEntries?: number) {
  const handlebars = Handlebars.create();
  const compiled = handlebars.compile(source, HANDLEBARS_COMPILE_OPTIONS);
  const render = vi.fn((context: Readonly<Record<string, unknown>>) => compiled(context, HANDLEBARS_RUNTIME_OPTIONS));
  const prompt = memoizePrompt({ handlebars, source, fields: FIELDS, render, ...(maxEntries === undefined ? {} : { maxEntries }) });
  return { prompt, render, direct: (context: Record<string, unknown>) => normalizePrompt(compiled(context, HANDLEBARS_RUNTIME_OPTIONS)) };
}

const ctx = (over: Record<string, unknown>): Record<string, unknown> => Object.assign(Object.create(null) as Record<string, unknown>, { city: '', name: '', seats: '', note: '' }, over);

describe('memoizePrompt', () => {
  it('renders a plain prompt once per distinct value of the fields it names, and answers what rendering gives', () => {
    const { prompt, render, direct } = setup('Slow  aerial of {{city}}\n at dusk {{! a comment }}');
    const rows = ['Lisbon', 'Porto', 'Lisbon', 'Lisbon', 'Porto', 'Hội An'].map((city, i) => ctx({ city, name: `n${i}` }));
    for (const row of rows) expect(prompt(row)).toBe(direct(row));
    expect(render).toHaveBeenCalledTimes(3);
  });

  it('keys on every field the prompt names, with values that could run together kept apart', () => {
    const { prompt, render, direct } = setup('{{city}}{{{name}}}');
    const rows = [ctx({ city: 'a1:', name: 'b' }), ctx({ city: 'a', name: '1:b' }), ctx({ city: 'a1:b', name: '' }), ctx({ city: 'a', name: '1:b' })];
    for (const row of rows) expect(prompt(row)).toBe(direct(row));
    expect(render).toHaveBeenCalledTimes(3);
  });

  it('keeps a number apart from the string that renders the same', () => {
    const { prompt, render } = setup('{{seats}} seats');
    expect(prompt(ctx({ seats: 5 }))).toBe('5 seats');
    expect(prompt(ctx({ seats: '5' }))).toBe('5 seats');
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('renders every time a prompt with blocks, helpers, paths or @data (its output may depend on more than plain fields)', () => {
    for (const source of ['{{#if name}}Portrait of {{name}}{{/if}} in {{city}}', '{{lookup this "city"}}', '{{this.city}}', '{{@root.city}}', '{{city.length}}', '{{log}}']) {
      const handlebars = Handlebars.create();
      const render = vi.fn(() => 'x');
      const prompt = memoizePrompt({ handlebars, source, fields: [...FIELDS, 'log'], render });
      prompt(ctx({ city: 'Lisbon' }));
      prompt(ctx({ city: 'Lisbon' }));
      expect(render, source).toHaveBeenCalledTimes(2);
    }
  });

  it('renders every time for a value that is neither a string nor a number', () => {
    const { prompt, render } = setup('{{city}}');
    prompt(ctx({ city: true }));
    prompt(ctx({ city: true }));
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries values and still answers new ones correctly', () => {
    const { prompt, render, direct } = setup('At {{city}}', 2);
    for (const city of ['A', 'B', 'C', 'C', 'A']) expect(prompt(ctx({ city }))).toBe(direct(ctx({ city })));
    // A and B are kept; C is rendered each time.
    expect(render).toHaveBeenCalledTimes(4);
  });

  it('does not remember a failing render', () => {
    const handlebars = Handlebars.create();
    let fail = true;
    const render = vi.fn(() => {
      if (fail) throw new Error('boom');
      return 'ok';
    });
    const prompt = memoizePrompt({ handlebars, source: '{{city}}', fields: FIELDS, render });
    expect(() => prompt(ctx({ city: 'X' }))).toThrow('boom');
    fail = false;
    expect(prompt(ctx({ city: 'X' }))).toBe('ok');
  });
});

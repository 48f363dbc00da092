import { describe, expect, it } from 'vitest';
import { guardSlotProps } from './guard-slot-props.js';

const guard = (props: Record<string, unknown>) => guardSlotProps({ props, templateId: 'hello', slotNames: ['name', 'accent', 'nickname'] });

describe('guardSlotProps', () => {
  it('throws on a misspelled prop, naming the template, the prop, the closest slot and the fix', () => {
    const props = guard({ name: 'Ada', accent: '#fff' });
    expect(() => props['nmae']).toThrow(
      'Template "hello" reads prop "nmae", which is not a slot. Did you mean "name"? Its slots: "name", "accent", "nickname". Declare it in slots or fix the spelling; `npm run typecheck` catches this before rendering.',
    );
    expect(() => props['nmae']).toThrow(expect.objectContaining({ name: 'TemplatePropError' }));
    expect(() => props['title']).toThrow(/reads prop "title", which is not a slot\. Its slots:/);
  });

  it('reads slots, including a declared slot the row left empty, like the plain object', () => {
    const props = guard({ name: 'Ada' });
    expect(props['name']).toBe('Ada');
    expect(props['nickname']).toBeUndefined();
  });

  it('lets through symbols, inherited methods and the probes of JSON, promises and React', () => {
    const props = guard({ name: 'Ada' });
    for (const key of ['toJSON', 'then', '$$typeof', 'children', 'key', 'ref']) expect(props[key]).toBeUndefined();
    expect(props[Symbol.iterator as unknown as string]).toBeUndefined();
    expect(props['constructor']).toBe(Object);
    expect(typeof props['valueOf']).toBe('function');
    expect(String(props)).toBe('[object Object]');
    expect(props.hasOwnProperty('name')).toBe(true);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });

  it('keeps `in`, Object.keys, spreading and JSON.stringify working', () => {
    const props = guard({ name: 'Ada', accent: '#fff' });
    expect('name' in props).toBe(true);
    expect('nmae' in props).toBe(false);
    expect(Object.keys(props)).toEqual(['name', 'accent']);
    expect({ ...props }).toEqual({ name: 'Ada', accent: '#fff' });
    expect(JSON.stringify(props)).toBe('{"name":"Ada","accent":"#fff"}');
  });
});

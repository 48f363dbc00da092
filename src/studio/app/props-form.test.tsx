import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SlotMap } from '../../template/index.js';
import type { StudioProblem } from '../types.js';
import { PropsForm } from './props-form.js';

const slots = {
  photo: { kind: 'image', label: 'Photo' },
  clip: { kind: 'broll', prompt: 'a slow pan over {{photo}}', seconds: 5, provider: 'luma', firstFrame: 'photo', label: 'Opening shot' },
} as const satisfies SlotMap;

function problem(slot: string | null, message: string): StudioProblem {
  return { slot, column: null, rule: 'plan', message, text: `people.csv line 2: ${message}` };
}

function render(problems: StudioProblem[]): string {
  return renderToStaticMarkup(<PropsForm slots={slots} cells={{ photo: 'photos/ada.png' }} problems={problems} imageUrls={{}} onChange={() => undefined} />);
}

describe('PropsForm', () => {
  it('lists problems of a B-roll slot and of the whole row above the fields, named by the slot label', () => {
    const html = render([problem('clip', 'Luma needs an https URL for the first frame.'), problem(null, 'The row key is empty.'), problem('photo', 'not an image')]);
    const general = /<div class="notice bad" role="alert" data-testid="row-plan-problems">(.*?)<\/div><div class="form-field"/.exec(html)?.[1] ?? '';
    expect(general).toContain('Opening shot: Luma needs an https URL for the first frame.');
    expect(general).toContain('The row key is empty.');
    // A data slot's problem stays under its own field, not in the general list.
    expect(general).not.toContain('not an image');
    expect(html).toMatch(/id="field-photo"[^>]*>.*<div class="problem" role="alert">not an image<\/div>/s);
  });

  it('shows no general list when every problem has a field', () => {
    expect(render([problem('photo', 'not an image')])).not.toContain('row-plan-problems');
    expect(render([])).not.toContain('role="alert"');
  });
});

/** What the page keeps in its address (`#t=…&d=…&r=…&v=…&f=…`), so a reload comes back to the same place. */
export type UrlState = {
  /** Template reference. */
  template: string | null;
  /** Dataset reference. */
  dataset: string | null;
  /** Data index of the selected row. */
  row: number | null;
  variant: string | null;
  frame: number | null;
};

function toNumber(value: string | null): number | null {
  if (value === null || value === '') return null;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : null;
}

/** Reads the state from `location.hash`. */
export function readUrlState(): UrlState {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  return {
    template: params.get('t'),
    dataset: params.get('d'),
    row: toNumber(params.get('r')),
    variant: params.get('v'),
    frame: toNumber(params.get('f')),
  };
}

/** Writes the state into `location.hash` without adding a history entry. */
export function writeUrlState(state: UrlState): void {
  const params = new URLSearchParams();
  if (state.template) params.set('t', state.template);
  if (state.dataset) params.set('d', state.dataset);
  if (state.row !== null) params.set('r', String(state.row));
  if (state.variant) params.set('v', state.variant);
  if (state.frame !== null) params.set('f', String(state.frame));
  const hash = `#${params.toString()}`;
  if (hash !== location.hash) history.replaceState(null, '', hash);
}

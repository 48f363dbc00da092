const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML (and inline SVG) text and double- or single-quoted attribute values.
 * Every dataset value is untrusted: nothing from a row reaches the page without this.
 *
 * @example
 * `<td>${escapeHtml(row.rowKey)}</td>`
 */
// One positional value instead of an options object: it is called for every interpolation, like String().
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

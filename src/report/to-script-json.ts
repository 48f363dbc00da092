/** Options for `toScriptJson`. */
export type ToScriptJsonOptions = { value: unknown };

/**
 * JSON that is safe inside an HTML `<script type="application/json">` element: `<`, `>` and `&`
 * become `\u003c`, `\u003e`, `\u0026`, so no value can close the element (`</script>`) or open a
 * comment (`<!--`); U+2028 and U+2029 are escaped too, so the text is also valid JavaScript.
 * `JSON.parse(element.textContent)` returns the original value.
 *
 * @example
 * `<script type="application/json" id="data">${toScriptJson({ value: report })}</script>`
 */
export function toScriptJson(options: ToScriptJsonOptions): string {
  return JSON.stringify(options.value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

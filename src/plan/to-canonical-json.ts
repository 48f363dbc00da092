/** A JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * JSON with object keys sorted (UTF-16 code-unit order) at every depth and no spaces: the same
 * value always gives the same text, so its hash is stable across machines and key orders.
 * `undefined` members are left out, as `JSON.stringify` does; non-finite numbers are refused.
 *
 * @example
 * toCanonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function toCanonicalJson(value: JsonValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`toCanonicalJson: ${value} has no JSON form.`);
    return JSON.stringify(value === 0 ? 0 : value);
  }
  // String concatenation rather than map/join: this runs once per job of a 100,000-row plan.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + toCanonicalJson(value[i] as JsonValue);
    return `${out}]`;
  }
  const object = value as { readonly [key: string]: JsonValue | undefined };
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${toCanonicalJson(member)}`;
  }
  return `${out}}`;
}

/** Characters that make a spreadsheet read a text cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters that force a field into quotes (RFC 4180 §2.6). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field, RFC 4180: a field containing a comma, a double quote, CR or LF is wrapped in
 * double quotes with inner quotes doubled. Text is untrusted: a text cell starting with `=`, `+`,
 * `-`, `@`, a tab or a CR gets a leading `'` so spreadsheets show it instead of evaluating it.
 * Numbers are written as numbers (a negative amount stays `-1.5`): only text is neutralized, so
 * pass amounts as `number`, never as pre-formatted strings. Pass `{ number: '0.166667' }` for an
 * exact decimal that must not go through a float. `null` is an empty field.
 *
 * @example
 * toCsvCell('=HYPERLINK("x")'); // `"'=HYPERLINK(""x"")"`
 * toCsvCell(-2); // '-2'
 */
// One positional value instead of an options object: this is called once per cell, like String().
export function toCsvCell(value: string | number | { number: string } | null): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`toCsvCell: ${value} is not a finite number.`);
    return String(value);
  }
  if (typeof value === 'object') {
    if (!/^-?\d+(\.\d+)?$/.test(value.number)) throw new RangeError(`toCsvCell: "${value.number}" is not a plain decimal number.`);
    return value.number;
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

import { ConfigError } from '../errors/index.js';

/** Characters that mean something to a shell but not here; refused unquoted so that nobody expects a pipe or a variable. */
const SHELL_ONLY = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$']);
/** Escapable inside double quotes (as in POSIX sh); any other backslash there is kept as is. */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', '\\', '$', '`']);

function fail(text: string, what: string): never {
  throw new ConfigError(
    `--on-complete ${JSON.stringify(text)}: ${what}. The command runs without a shell: words are split on spaces, ` +
      `'single' and "double" quotes group words, and a backslash escapes the next character. ` +
      'For pipes, redirects or variables, put them in a script and pass the script.',
    { code: 'RW_BAD_COMMAND_LINE' },
  );
}

/**
 * Splits an `--on-complete "<command> <args…>"` string into an argument array for `runOnComplete`, like a shell would
 * split words but with nothing else a shell does.
 *
 * Rules:
 * - Unquoted spaces, tabs and newlines separate words; adjacent quoted and unquoted parts join (`--x="a b"` → `--x=a b`).
 * - `'…'` is literal up to the next `'`.
 * - `"…"` is literal except `\"`, `\\`, `\$` and `` \` ``, which stand for the escaped character.
 * - Outside quotes, `\x` stands for `x`; a backslash before a newline joins lines.
 * - No variable expansion, command substitution, globbing or `~`: `*`, `?` and `[` are literal. Unquoted
 *   `| & ; < > ( ) $` and backticks, and a word starting with `~` or `#`, are refused (`RW_BAD_COMMAND_LINE`) because
 *   they would not do what they do in a shell; quote them to pass them literally.
 *
 * @throws ConfigError `RW_BAD_COMMAND_LINE` on an empty command, an unterminated quote, a trailing backslash, a NUL
 *   character, or an unquoted shell-only character.
 * @example
 * parseCommandLine(`./notify.sh --channel "#video ops" '$(not run)'`); // ['./notify.sh', '--channel', '#video ops', '$(not run)']
 */
export function parseCommandLine(text: string): string[] {
  if (typeof text !== 'string') fail(String(text), 'the command must be a string');
  if (text.includes('\0')) fail(text, 'it contains a NUL character');
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    if (char === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail(text, `the single quote at position ${i + 1} is never closed`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (char === '"') {
      let j = i + 1;
      let closed = false;
      while (j < text.length) {
        const inner = text[j] as string;
        if (inner === '"') {
          closed = true;
          break;
        }
        const next = text[j + 1];
        if (inner === '\\' && next !== undefined && DOUBLE_QUOTE_ESCAPES.has(next)) {
          word += next;
          j += 2;
          continue;
        }
        word += inner;
        j += 1;
      }
      if (!closed) fail(text, `the double quote at position ${i + 1} is never closed`);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined) fail(text, 'it ends with a backslash that escapes nothing');
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (SHELL_ONLY.has(char)) {
      fail(text, `the unquoted ${JSON.stringify(char)} at position ${i + 1} would be passed as a plain character, not interpreted; quote it if that is what you mean`);
    }
    if (char === '~' && !inWord) fail(text, `"~" at position ${i + 1} is not expanded to the home folder; write the full path`);
    if (char === '#' && !inWord) fail(text, `the unquoted "#" at position ${i + 1} would start a comment in a shell but not here; quote it if you mean it`);
    word += char;
    inWord = true;
    i += 1;
  }
  if (inWord) words.push(word);
  if (words.length === 0) fail(text, 'it is empty');
  return words;
}

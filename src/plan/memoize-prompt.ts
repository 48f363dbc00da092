import type Handlebars from 'handlebars';
import { normalizePrompt } from '../clips/index.js';

/** Distinct field values a prompt remembers: enough for repeated cities or products, bounded when every row differs. */
export const PROMPT_MEMO_MAX_ENTRIES = 10_000;

/** Options of `memoizePrompt`. */
export type MemoizePromptOptions = {
  /** The plan's private Handlebars environment (its helpers are the built-in ones). */
  handlebars: typeof Handlebars;
  /** The prompt's Handlebars source. */
  source: string;
  /** Names of the data slots (the only names a row context holds). */
  fields: readonly string[];
  /** The compiled prompt (`render(context)`). */
  render: (context: Readonly<Record<string, unknown>>) => string;
  /** Most entries kept; `PROMPT_MEMO_MAX_ENTRIES`. */
  maxEntries?: number;
};

/**
 * The data slots a prompt reads, when it is only text and plain `{{field}}` / `{{{field}}}` mustaches of
 * data slots (comments allowed): its output is then a function of those fields' values alone. Null for
 * anything else (blocks, helpers, paths, `@data`, partials, literals): such a prompt is not memoized.
 */
function plainFields(handlebars: typeof Handlebars, source: string, fields: readonly string[]): string[] | null {
  const known = new Set(fields);
  const used: string[] = [];
  for (const statement of handlebars.parse(source).body) {
    if (statement.type === 'ContentStatement' || statement.type === 'CommentStatement') continue;
    if (statement.type !== 'MustacheStatement') return null;
    const { path, params, hash } = statement as hbs.AST.MustacheStatement;
    if (path.type !== 'PathExpression' || params.length > 0 || hash) return null;
    const { data, depth, parts, original } = path as hbs.AST.PathExpression;
    const name = parts[0];
    if (data || depth !== 0 || parts.length !== 1 || name === undefined || original !== name) return null;
    if (!known.has(name) || Object.hasOwn(handlebars.helpers, name)) return null;
    if (!used.includes(name)) used.push(name);
  }
  return used;
}

/** One field value in a memo key: its type (a number and a string render alike, but stay apart) and its text, length-prefixed. */
function keyPart(value: unknown): string | null {
  if (typeof value === 'string') return `s${value.length}:${value}`;
  if (typeof value === 'number') return `n${String(value)}:`;
  return null;
}

/**
 * A B-roll prompt for a row context, rendered and normalized (`normalizePrompt`), computed once per
 * distinct value of the fields the prompt names: 100,000 rows over 50 cities render 50 prompts. Only
 * prompts made of text and plain field mustaches are memoized (see `plainFields`), and the memo key
 * holds every field they read, so a remembered prompt is what rendering would give. Any other prompt,
 * a value that is neither a string nor a number, and new values once `maxEntries` are kept render
 * every time. Errors are not remembered: a failing render throws again.
 *
 * @example
 * const prompt = memoizePrompt({ handlebars, source: 'Aerial footage of {{city}}', fields: ['city', 'name'], render });
 * prompt({ city: 'Lisbon', name: 'Ada' }); // 'Aerial footage of Lisbon' (rendered); the next Lisbon row is a lookup
 */
export function memoizePrompt(options: MemoizePromptOptions): (context: Readonly<Record<string, unknown>>) => string {
  const { render } = options;
  const uncached = (context: Readonly<Record<string, unknown>>) => normalizePrompt(render(context));
  const used = plainFields(options.handlebars, options.source, options.fields);
  if (used === null) return uncached;
  const maxEntries = options.maxEntries ?? PROMPT_MEMO_MAX_ENTRIES;
  const memo = new Map<string, string>();
  return (context) => {
    let key = '';
    for (const name of used) {
      const part = keyPart(context[name]);
      if (part === null) return uncached(context);
      key += part;
    }
    let prompt = memo.get(key);
    if (prompt === undefined) {
      prompt = uncached(context);
      if (memo.size < maxEntries) memo.set(key, prompt);
    }
    return prompt;
  };
}

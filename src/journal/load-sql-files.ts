import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { JournalError } from './journal-error.js';

/** One `.sql` file: its header and its statements, in order. */
export type SqlFile = {
  /** File name without `.sql`, e.g. `begin-attempt`. */
  name: string;
  /** The leading `--` comment lines, without the `--`. */
  header: string[];
  /** Parameter names declared on the header's `params:` line (without `@`); empty when the line says `none`. */
  declaredParams: string[];
  /** Parameter names the statements actually use (without `@`), sorted. */
  usedParams: string[];
  /** The statements, split on `;` at the end of a line, comments removed. */
  statements: string[];
};

/** Options of `loadSqlFiles`. */
export type LoadSqlFilesOptions = {
  /** Absolute folder holding `*.sql` files. */
  dir: string;
};

const cache = new Map<string, ReadonlyMap<string, SqlFile>>();

/**
 * Parses one SQL file's text. Statements are separated by a `;` that ends a line, so our own
 * files must not put a `;` at the end of a line inside a string literal or trigger body.
 */
export function parseSqlFile(name: string, text: string): SqlFile {
  const lines = text.split(/\r?\n/);
  const header: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('--')) break;
    header.push(line.replace(/^--\s?/, ''));
  }
  const paramsLine = header.find((h) => /^params:/i.test(h.trim()));
  if (paramsLine === undefined) {
    throw new JournalError(`SQL file ${name}.sql: the header has no "params:" line. List the parameters (or "none") in the leading comment.`, {
      code: 'RW_JOURNAL_SQL_HEADER',
    });
  }
  const paramsText = paramsLine.trim().replace(/^params:/i, '').trim();
  const declaredParams = /^none\b/i.test(paramsText) ? [] : [...paramsText.matchAll(/@(\w+)/g)].map((m) => m[1] as string);
  const body = lines
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n');
  const statements = body
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const usedParams = [...new Set(statements.flatMap((s) => [...s.matchAll(/@(\w+)/g)].map((m) => m[1] as string)))].sort();
  return { name, header, declaredParams, usedParams, statements };
}

/**
 * Reads every `*.sql` file of a folder once per process (later calls hit a cache), so
 * opening a journal stays fast.
 */
export function loadSqlFiles(options: LoadSqlFilesOptions): ReadonlyMap<string, SqlFile> {
  const hit = cache.get(options.dir);
  if (hit) return hit;
  const files = new Map<string, SqlFile>();
  for (const entry of readdirSync(options.dir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const name = basename(entry, '.sql');
    files.set(name, parseSqlFile(name, readFileSync(join(options.dir, entry), 'utf8')));
  }
  cache.set(options.dir, files);
  return files;
}

import { ConfigError } from '../errors/index.js';
import type { CostEstimate } from './types.js';
import defaultPrices from './prices.json' with { type: 'json' };

/**
 * One list price.
 * - `unit: 'second'`: `usd` per second of clip (Runway's credits per second).
 * - `unit: 'clip'`: `usd` per clip of exactly `seconds` at `resolution` (Luma's per-generation prices).
 */
export type PriceEntry = {
  /** Provider id (`runway`, `luma`, or a reseller adapter's id). */
  provider: string;
  model: string;
  /** Resolution this price is for (`720p`), or null for any. */
  resolution: string | null;
  /** Clip length this price is for, or null for any. */
  seconds: number | null;
  /** Request params that must match (e.g. `{ "audio": true }`); `{}` for none. */
  params: Readonly<Record<string, string | number | boolean>>;
  unit: 'second' | 'clip';
  usd: number;
  /** Where the number comes from (a URL, a document, "derived: …"). */
  source: string;
  /** When the price was taken, YYYY-MM-DD. */
  date: string;
};

/** A price table: the shipped `prices.json` or a user's own file of the same shape. */
export type PriceTable = { entries: readonly PriceEntry[] };

/**
 * Validates a parsed JSON value as a price table. `origin` names the file in error messages.
 * Throws `ConfigError` (`RW_PRICE_TABLE_INVALID`) naming the entry and field.
 */
export function parsePriceTable(value: unknown, origin: string): PriceTable {
  const fail = (where: string, what: string): never => {
    throw new ConfigError(`${origin}: ${where} ${what}. See src/clips/prices.json for the expected shape.`, {
      code: 'RW_PRICE_TABLE_INVALID',
    });
  };
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { entries?: unknown }).entries)) {
    return fail('the table', 'must be an object with an "entries" array');
  }
  const entries = (value as { entries: unknown[] }).entries.map((raw, index): PriceEntry => {
    const where = `entries[${index}]`;
    if (typeof raw !== 'object' || raw === null) return fail(where, 'must be an object');
    const e = raw as Record<string, unknown>;
    const str = (key: string): string =>
      typeof e[key] === 'string' && (e[key] as string).length > 0 ? (e[key] as string) : fail(`${where}.${key}`, `must be a non-empty string, got ${JSON.stringify(e[key])}`);
    const provider = str('provider');
    const model = str('model');
    const source = str('source');
    const date = str('date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`${where}.date`, `must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
    const resolution = e['resolution'] ?? null;
    if (resolution !== null && typeof resolution !== 'string') fail(`${where}.resolution`, 'must be a string or null');
    const seconds = e['seconds'] ?? null;
    if (seconds !== null && (typeof seconds !== 'number' || !(seconds > 0))) fail(`${where}.seconds`, 'must be a positive number or null');
    const unit = e['unit'];
    if (unit !== 'second' && unit !== 'clip') fail(`${where}.unit`, `must be "second" or "clip", got ${JSON.stringify(unit)}`);
    const usd = e['usd'];
    if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) fail(`${where}.usd`, `must be a number ≥ 0, got ${JSON.stringify(usd)}`);
    const params = e['params'] ?? {};
    if (typeof params !== 'object' || params === null || Array.isArray(params)) fail(`${where}.params`, 'must be an object');
    for (const [key, v] of Object.entries(params as object)) {
      if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`${where}.params.${key}`, 'must be a string, number or boolean');
    }
    return {
      provider,
      model,
      resolution: resolution as string | null,
      seconds: seconds as number | null,
      params: params as Record<string, string | number | boolean>,
      unit: unit as 'second' | 'clip',
      usd: usd as number,
      source,
      date,
    };
  });
  return { entries };
}

/** The price table shipped with reelwright (`src/clips/prices.json`). */
export const DEFAULT_PRICE_TABLE: PriceTable = parsePriceTable(defaultPrices, 'src/clips/prices.json');

/** Options for `priceFromTable`. */
export type PriceFromTableOptions = {
  table: PriceTable;
  provider: string;
  model: string;
  /** The resolution the provider will actually produce (its default filled in). */
  resolution: string | null;
  seconds: number;
  params: Readonly<Record<string, string | number | boolean>>;
};

/**
 * The list price of one attempt: the most specific matching entry (resolution, seconds and
 * params that match count; the one with most matches wins). Throws `ConfigError`
 * (`RW_PRICE_MISSING`) when no entry matches, so a plan fails before any spend.
 *
 * @example
 * priceFromTable({ table: DEFAULT_PRICE_TABLE, provider: 'luma', model: 'ray-2', resolution: '720p', seconds: 5, params: {} });
 * // { usd: 0.71, source: 'Luma API, …', date: '2026-04-01' }
 */
export function priceFromTable(options: PriceFromTableOptions): CostEstimate {
  let best: PriceEntry | null = null;
  let bestScore = -1;
  for (const entry of options.table.entries) {
    if (entry.provider !== options.provider || entry.model !== options.model) continue;
    if (entry.resolution !== null && entry.resolution !== options.resolution) continue;
    if (entry.seconds !== null && entry.seconds !== options.seconds) continue;
    const paramKeys = Object.keys(entry.params);
    if (!paramKeys.every((key) => options.params[key] === entry.params[key])) continue;
    const score = (entry.resolution !== null ? 1 : 0) + (entry.seconds !== null ? 1 : 0) + paramKeys.length;
    if (score > bestScore) {
      best = entry;
      bestScore = score;
    }
  }
  if (!best) {
    throw new ConfigError(
      `No price for ${options.provider} model "${options.model}" at ${options.resolution ?? 'default resolution'}, ${options.seconds} s in the price table. ` +
        `Add an entry {provider, model, resolution, seconds, unit, usd, source, date} to your price table, or pick a priced model/resolution.`,
      { code: 'RW_PRICE_MISSING' },
    );
  }
  const usd = best.unit === 'second' ? best.usd * options.seconds : best.usd;
  return { usd: Math.round(usd * 1e6) / 1e6, source: best.source, date: best.date };
}

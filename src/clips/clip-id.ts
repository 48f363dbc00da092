import { createHash } from 'node:crypto';
import { ConfigError } from '../errors/index.js';
import type { ClipId, ClipRequest } from './types.js';

/** Hex characters of sha256 kept in a `ClipId` (128 bits: collisions are not a practical concern). */
export const CLIP_ID_HEX_LENGTH = 32;

/**
 * Characters treated as whitespace by `normalizePrompt`: every Unicode `White_Space` character
 * (spaces, tabs, line and paragraph breaks, NEL, no-break and ideographic spaces, the U+2000–U+200A
 * typographic spaces, …) plus two invisible characters that arrive from spreadsheets and
 * copy-paste: U+200B ZERO WIDTH SPACE and U+FEFF (byte-order mark / zero-width no-break space).
 */
const WHITESPACE_RUN = /[\p{White_Space}\u200B\uFEFF]+/gu;

/**
 * Normalizes a rendered prompt so that prompts a person would call identical hash identically.
 * Rules, applied in this order:
 * 1. Unicode NFC normalization: a precomposed `é` (U+00E9) and `e` + combining acute (U+0065 U+0301)
 *    become the same code points.
 * 2. Every run of whitespace (see below) becomes one ASCII space, so line breaks, tabs, no-break
 *    spaces and doubled spaces from a CSV cell do not create a new clip.
 * 3. Leading and trailing whitespace is removed.
 *
 * Whitespace means every Unicode `White_Space` character plus U+200B ZERO WIDTH SPACE and U+FEFF
 * (byte-order mark). Case, punctuation and everything else are kept: they can change what a model
 * generates.
 *
 * @example
 * normalizePrompt('  Neon\u00a0city\n\tat  night ') // 'Neon city at night'
 */
export function normalizePrompt(text: string): string {
  return text.normalize('NFC').replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * sha256 (64 hex characters) of the normalized prompt: what the journal records per attempt,
 * so reports can group attempts by prompt without storing the prompt text twice.
 *
 * @example
 * promptHash('a  b') === promptHash('a b') // true
 */
export function promptHash(prompt: string): string {
  return createHash('sha256').update(normalizePrompt(prompt), 'utf8').digest('hex');
}

type Canonical = string | number | boolean | null | Canonical[] | { [key: string]: Canonical };

/** JSON with object keys sorted (by UTF-16 code units, `Array.prototype.sort` order), no spaces. */
function canonicalJson(value: Canonical): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function invalid(field: string, value: unknown, allowed: string): never {
  throw new ConfigError(`toClipId: request.${field} must be ${allowed}, got ${JSON.stringify(value) ?? String(value)}.`, {
    code: 'RW_CLIP_INVALID_REQUEST',
  });
}

/** Numbers go into the hash as JSON; NaN and ±Infinity would all become `null` and collide. */
function finite(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(field, value, 'a finite number');
  // -0 and 0 are the same request.
  return value === 0 ? 0 : value;
}

/**
 * The id of a clip request: the first `CLIP_ID_HEX_LENGTH` hex characters of sha256 over the
 * request's canonical JSON. It is the dedupe key and the cache key, so everything that decides
 * which clip comes back is in it, and nothing else:
 * `{"aspect","draft","inputImageHash","model","params","prompt","provider","resolution","seconds","seed"}`,
 * keys sorted (also inside `params`), `prompt` passed through `normalizePrompt`, no whitespace.
 * Identical requests always get the same id, on any machine; a change to any field gives a new one.
 *
 * @example
 * const id = toClipId({ provider: 'local', model: 'placeholder-v1', prompt: 'city at night', seconds: 5,
 *   aspect: '16:9', resolution: null, seed: 7, inputImageHash: null, params: {}, draft: false });
 * @see normalizePrompt
 */
export function toClipId(request: ClipRequest): ClipId {
  if (typeof request.prompt !== 'string') invalid('prompt', request.prompt, 'a string');
  if (request.seed !== null && !Number.isInteger(request.seed)) invalid('seed', request.seed, 'an integer or null');
  const params: Record<string, Canonical> = {};
  for (const [key, value] of Object.entries(request.params)) {
    if (typeof value === 'number') params[key] = finite(`params.${key}`, value);
    else if (typeof value === 'string' || typeof value === 'boolean') params[key] = value;
    else invalid(`params.${key}`, value, 'a string, number or boolean');
  }
  const canonical: Canonical = {
    aspect: request.aspect,
    draft: request.draft,
    inputImageHash: request.inputImageHash,
    model: request.model,
    params,
    prompt: normalizePrompt(request.prompt),
    provider: request.provider,
    resolution: request.resolution,
    seconds: finite('seconds', request.seconds),
    seed: request.seed === null ? null : finite('seed', request.seed),
  };
  return createHash('sha256').update(canonicalJson(canonical), 'utf8').digest('hex').slice(0, CLIP_ID_HEX_LENGTH) as ClipId;
}

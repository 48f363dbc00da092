import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors/index.js';
import { SIDECAR_SUFFIX } from './is-inbox-data-file.js';

/** Sidecars larger than this are refused (a sidecar holds three short settings, not data). */
export const MAX_SIDECAR_BYTES = 64 * 1024;

/** Separator of the naming rule: `<template-id>--anything.csv`. */
export const TEMPLATE_NAME_SEPARATOR = '--';

const SIDECAR_KEYS = new Set(['$schema', 'template', 'variants', 'name']);
const TEMPLATE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Where the template of an inbox file came from.
 * - `sidecar`: the `template` field of `<file>.reelwright.json`.
 * - `file-name`: the naming rule, `<template-id>--anything.csv`.
 * - `default`: the watcher's default template (`reelwright watch --template <id>`).
 */
export type InboxTemplateSource = 'sidecar' | 'file-name' | 'default';

/** What to render for one inbox file. Plain JSON. */
export type InboxJob = {
  /** Template id to render the file with. */
  template: string;
  /** Which rule chose `template`. */
  templateSource: InboxTemplateSource;
  /** Variants to render (sidecar `variants`), or null for the template's default variants. */
  variants: readonly string[] | null;
  /** Output file-name pattern (sidecar `name`, e.g. `"{{name}}"`), or null for the default naming. */
  outputName: string | null;
  /** Absolute path of the sidecar that was read, or null when there was none. */
  sidecar: string | null;
};

/** Options for `resolveInboxJob`. */
export type ResolveInboxJobOptions = {
  /** Path of the data file (its base name is used for the naming rule). */
  file: string;
  /** The watcher's `--template`, used when neither the sidecar nor the file name names a template; null for none. */
  defaultTemplate?: string | null;
  /** Template ids that exist; a template named by the sidecar or file name must be one of them. Null skips the check. */
  knownTemplates?: readonly string[] | null;
  /** Where the sidecar is; defaults to `<file>.reelwright.json`. */
  sidecarFile?: string | null;
};

/** The parsed sidecar, all fields optional. */
type Sidecar = { template: string | null; variants: readonly string[] | null; outputName: string | null };

function sidecarError(sidecar: string, what: string, cause?: unknown): ConfigError {
  return new ConfigError(
    `Sidecar ${sidecar}: ${what}. A sidecar is a JSON object with optional fields ` +
      `"template" (a template id), "variants" (an array of variant names) and "name" (an output name pattern), ` +
      `e.g. {"template": "recap", "variants": ["landscape"], "name": "{{name}}"}. Fix or delete the sidecar and drop the file again.`,
    { code: 'RW_INBOX_BAD_SIDECAR', cause },
  );
}

async function readSidecar(sidecar: string): Promise<Sidecar | null> {
  let text: Buffer;
  try {
    text = await readFile(sidecar);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw sidecarError(sidecar, `could not be read (${(error as Error).message})`, error);
  }
  if (text.length > MAX_SIDECAR_BYTES) throw sidecarError(sidecar, `is ${text.length} bytes, more than the ${MAX_SIDECAR_BYTES} allowed`);
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch (error) {
    throw sidecarError(sidecar, `is not valid JSON (${(error as Error).message})`, error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw sidecarError(sidecar, `must be a JSON object, got ${JSON.stringify(value)}`);
  const record = value as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((key) => !SIDECAR_KEYS.has(key));
  if (unknownKeys.length > 0) throw sidecarError(sidecar, `has unknown field(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}`);
  const template = record['template'];
  if (template !== undefined && (typeof template !== 'string' || template.length === 0)) {
    throw sidecarError(sidecar, `"template" must be a non-empty string, got ${JSON.stringify(template)}`);
  }
  const variants = record['variants'];
  if (
    variants !== undefined &&
    (!Array.isArray(variants) || variants.length === 0 || !variants.every((v): v is string => typeof v === 'string' && v.length > 0))
  ) {
    throw sidecarError(sidecar, `"variants" must be a non-empty array of variant names, got ${JSON.stringify(variants)}`);
  }
  const name = record['name'];
  if (name !== undefined && (typeof name !== 'string' || name.trim().length === 0)) {
    throw sidecarError(sidecar, `"name" must be a non-empty string such as "{{name}}", got ${JSON.stringify(name)}`);
  }
  return {
    template: typeof template === 'string' ? template : null,
    variants: Array.isArray(variants) ? [...(variants as string[])] : null,
    outputName: typeof name === 'string' ? name : null,
  };
}

function checkKnown(template: string, where: string, knownTemplates: readonly string[] | null): void {
  if (knownTemplates ? knownTemplates.includes(template) : TEMPLATE_ID_PATTERN.test(template)) return;
  const known = knownTemplates
    ? knownTemplates.length > 0
      ? `Known templates: ${knownTemplates.join(', ')}.`
      : 'No templates were found.'
    : 'Template ids are lowercase letters, digits and dashes.';
  throw new ConfigError(`${where} names template "${template}", which does not exist. ${known} Rename the file or fix the sidecar, then drop it again.`, {
    code: 'RW_INBOX_UNKNOWN_TEMPLATE',
  });
}

/**
 * Decides which template (and variants and output naming) renders a file dropped into the inbox.
 *
 * Rules, first match wins:
 * 1. **Sidecar.** A file `<data file>.reelwright.json` next to the data file (for `leads.csv`:
 *    `leads.csv.reelwright.json`), a JSON object with optional fields:
 *    - `template`: template id, e.g. `"recap"`;
 *    - `variants`: non-empty array of variant names, e.g. `["landscape"]`;
 *    - `name`: output file-name pattern, e.g. `"{{name}}"`.
 *    Other fields (except `$schema`) are refused so that a typo does not go unnoticed. The sidecar moves with the data
 *    file (to `processing/`, then `done/` or `failed/`). Drop the sidecar *before* (or together with) the data file:
 *    it is read when the data file is picked up. A sidecar without `template` still sets `variants` and `name`, and
 *    the template comes from the next rules.
 * 2. **Naming rule.** A file name `<template-id>--<anything>.<ext>` renders with `<template-id>`: the part before the
 *    first `--`, e.g. `recap--2025-05-01.csv` → template `recap`. A name whose prefix is not a known template is
 *    refused (`RW_INBOX_UNKNOWN_TEMPLATE`) rather than silently rendered with the default: a typo should not spend money
 *    on the wrong template. Names without `--` skip this rule. (Template ids containing `--` need a sidecar.)
 * 3. **Default.** The watcher's `--template`.
 *
 * With none of these, the file fails with `RW_INBOX_NO_TEMPLATE`.
 *
 * @throws ConfigError `RW_INBOX_BAD_SIDECAR` (unreadable, not JSON, wrong field types, unknown field),
 *   `RW_INBOX_UNKNOWN_TEMPLATE` (named template not in `knownTemplates`), `RW_INBOX_NO_TEMPLATE`.
 * @example
 * const job = await resolveInboxJob({ file: '/inbox/recap--may.csv', defaultTemplate: 'welcome', knownTemplates: ['recap', 'welcome'] });
 * // { template: 'recap', templateSource: 'file-name', variants: null, outputName: null, sidecar: null }
 * @see watchInbox, which calls this for every file it picks up.
 */
export async function resolveInboxJob(options: ResolveInboxJobOptions): Promise<InboxJob> {
  const knownTemplates = options.knownTemplates ?? null;
  const sidecarPath = path.resolve(options.sidecarFile ?? `${options.file}${SIDECAR_SUFFIX}`);
  const sidecar = await readSidecar(sidecarPath);
  const base = {
    variants: sidecar?.variants ?? null,
    outputName: sidecar?.outputName ?? null,
    sidecar: sidecar ? sidecarPath : null,
  };
  if (sidecar?.template) {
    checkKnown(sidecar.template, `Sidecar ${sidecarPath}`, knownTemplates);
    return { template: sidecar.template, templateSource: 'sidecar', ...base };
  }
  const name = path.basename(options.file);
  const separator = name.indexOf(TEMPLATE_NAME_SEPARATOR);
  if (separator > 0) {
    const template = name.slice(0, separator);
    checkKnown(template, `File name "${name}" (naming rule <template-id>--anything)`, knownTemplates);
    return { template, templateSource: 'file-name', ...base };
  }
  const fallback = options.defaultTemplate ?? null;
  if (fallback) return { template: fallback, templateSource: 'default', ...base };
  throw new ConfigError(
    `No template for "${name}": it has no sidecar ${path.basename(sidecarPath)} with a "template", its name does not start with "<template-id>--", ` +
      'and the watcher has no default. Rename it to "<template-id>--' +
      `${name}", add a sidecar, or start the watcher with --template <id>.`,
    { code: 'RW_INBOX_NO_TEMPLATE' },
  );
}

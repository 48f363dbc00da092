import type Handlebars from 'handlebars';
import { ConfigError, TemplateError } from '../errors/index.js';
import type { BrollSlot, ClipAspect } from '../template/index.js';
import { memoizePrompt } from './memoize-prompt.js';
import type { PlanTemplate, ProviderDefaults } from './types.js';

/** Provider for slots that name none, unless `providerDefaults.provider` says otherwise. */
export const DEFAULT_PROVIDER = 'local';

/** Provider used by `--draft` runs for slots that declare no `draftModel`: free, made on this machine. */
export const DRAFT_FALLBACK_PROVIDER = 'local';

/** Handlebars compile options for prompts and name patterns: a missing field is an error, output is plain text, no custom helpers. */
export const HANDLEBARS_COMPILE_OPTIONS = { strict: true, noEscape: true, knownHelpersOnly: true } as const;

/** Handlebars runtime options: no prototype properties or methods reachable from a template. */
export const HANDLEBARS_RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

/** A B-roll slot ready for planning: prompt compiled once, provider and model resolved. */
export type CompiledBrollSlot = {
  name: string;
  provider: string;
  model: string;
  seconds: number;
  /** The slot's own aspect, or null to follow each variant's size. */
  aspect: ClipAspect | null;
  resolution: string | null;
  seed: number | null;
  /** The image slot whose value is the clip's first frame (image→video), or null for text→video. */
  firstFrame: string | null;
  /** Renders the prompt for one row's field context (throws on a Handlebars runtime error). */
  render: (context: Readonly<Record<string, unknown>>) => string;
  /** `normalizePrompt(render(context))`, computed once per distinct value of the fields a plain prompt names (`memoizePrompt`). */
  prompt: (context: Readonly<Record<string, unknown>>) => string;
};

/** Options of `compileBrollSlots`. */
export type CompileBrollSlotsOptions = {
  template: PlanTemplate;
  /** A private Handlebars environment (`Handlebars.create()`). */
  handlebars: typeof Handlebars;
  /** Field context with every data slot set to a sample value: rendering it once proves each prompt only uses real fields. */
  probe: Readonly<Record<string, unknown>>;
  draft: boolean;
  providerDefaults: ProviderDefaults;
};

/**
 * Compiles every B-roll slot's prompt once (strict, no escaping, built-in helpers only, no
 * prototype access) and resolves its provider and model: the slot's own, unless
 * `forceProvider` replaces it (then that provider's default model); in draft runs the slot's
 * `draftModel`, or — for a slot without one — the free local provider (`DRAFT_FALLBACK_PROVIDER`)
 * with its default model; else `providerDefaults.models[provider]`. The slot's `resolution` only
 * applies to its own provider; a replacement provider uses its default resolution. Throws `TemplateError` `RW_TEMPLATE_PROMPT_INVALID`
 * for a prompt that does not compile or names a field that is not a data slot, and `ConfigError`
 * `RW_PLAN_NO_MODEL` when no model is known — before any row is read.
 */
export function compileBrollSlots(options: CompileBrollSlotsOptions): CompiledBrollSlot[] {
  const { template, handlebars, probe, draft, providerDefaults } = options;
  const compiled: CompiledBrollSlot[] = [];
  for (const [name, declared] of Object.entries(template.slots)) {
    if (declared.kind !== 'broll') continue;
    const slot: BrollSlot = declared;
    const forced = providerDefaults.forceProvider ?? null;
    const own = slot.provider ?? providerDefaults.provider ?? DEFAULT_PROVIDER;
    // A draft of a slot without a draftModel costs nothing: the local provider stands in (unless
    // --provider chose one explicitly).
    const draftLocal = draft && forced === null && slot.draftModel === undefined;
    const provider = forced ?? (draftLocal ? DRAFT_FALLBACK_PROVIDER : own);
    const ownModel =
      draftLocal && own !== DRAFT_FALLBACK_PROVIDER
        ? undefined
        : forced !== null && forced !== slot.provider
          ? undefined
          : draft
            ? (slot.draftModel ?? slot.model)
            : slot.model;
    const model = ownModel ?? providerDefaults.models[provider];
    if (model === undefined || model === '') {
      throw new ConfigError(
        `Template "${template.id}", B-roll slot "${name}": no model for provider "${provider}". ` +
          `Set the slot's model, or give providerDefaults.models["${provider}"] (known: ${Object.keys(providerDefaults.models).join(', ') || 'none'}).`,
        { code: 'RW_PLAN_NO_MODEL' },
      );
    }
    const template_ = handlebars.compile(slot.prompt, HANDLEBARS_COMPILE_OPTIONS);
    const render = (context: Readonly<Record<string, unknown>>) => template_(context, HANDLEBARS_RUNTIME_OPTIONS);
    try {
      render(probe);
    } catch (error) {
      throw new TemplateError(
        `Template "${template.id}", B-roll slot "${name}": the prompt ${JSON.stringify(slot.prompt)} cannot be rendered: ${(error as Error).message}. ` +
          `A prompt may use the data slots (${Object.keys(probe).join(', ') || 'none'}) and Handlebars' built-in helpers (if, unless, each, with).`,
        { code: 'RW_TEMPLATE_PROMPT_INVALID', cause: error },
      );
    }
    compiled.push({
      name,
      provider,
      model,
      seconds: slot.seconds,
      aspect: slot.aspect ?? null,
      // A resolution names a size of the slot's own provider (Luma's 540p, Runway's 720p only): another provider uses its default.
      resolution: provider === own ? (slot.resolution ?? null) : null,
      seed: slot.seed ?? null,
      firstFrame: slot.firstFrame ?? null,
      render,
      prompt: memoizePrompt({ handlebars, source: slot.prompt, fields: Object.keys(probe), render }),
    });
  }
  return compiled;
}

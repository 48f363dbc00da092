import { ConfigError } from '../errors/index.js';
import { DEFAULT_PROVIDER, type PlannedClip } from '../plan/index.js';
import type { TemplateDefinition } from '../template/index.js';

/** One fallback of a clip: a provider, its model (null: the provider's default), and the resolution to ask for. */
export type ClipChainLink = { provider: string; model: string | null; resolution: string | null };

/** Options of `resolveClipChain`. */
export type ResolveClipChainOptions = {
  planned: PlannedClip;
  template: TemplateDefinition;
  /** `--provider` (or the config's `provider`): every slot uses it, and slot fallbacks do not apply. */
  forcedProvider: string | null;
};

/** Parses a slot's `fallback` entry, `provider:model` (model optional). */
function parseFallback(entry: string, where: string): { provider: string; model: string | null } {
  const at = entry.indexOf(':');
  const provider = (at < 0 ? entry : entry.slice(0, at)).trim();
  const model = at < 0 ? '' : entry.slice(at + 1).trim();
  if (!provider) {
    throw new ConfigError(`${where}: fallback entry ${JSON.stringify(entry)} must look like "provider:model", e.g. "runway:gen4.5".`, { code: 'RW_CONFIG_INVALID' });
  }
  return { provider, model: model || null };
}

/**
 * The ordered fallbacks of a planned clip, from the `fallback` list of the B-roll slot that asked
 * for it (its first user's slot). They apply only when the clip is made by the slot's own provider:
 * not when `--provider` replaced it, and not when a draft run moved the slot to the local provider.
 * A fallback on another provider asks for that provider's default resolution (resolutions such as
 * Luma's `540p` do not carry over); one on the same provider keeps the slot's.
 *
 * @example
 * resolveClipChain({ planned, template, forcedProvider: null }); // [{ provider: 'runway', model: 'gen4.5', resolution: null }]
 */
export function resolveClipChain(options: ResolveClipChainOptions): ClipChainLink[] {
  const { planned, template } = options;
  if (options.forcedProvider) return [];
  const slotName = planned.users[0]?.slot;
  const slot = slotName ? template.slots[slotName] : undefined;
  if (!slot || slot.kind !== 'broll' || !slot.fallback || slot.fallback.length === 0) return [];
  if (planned.request.provider !== (slot.provider ?? DEFAULT_PROVIDER)) return [];
  const where = `Template "${template.id}", B-roll slot "${slotName}"`;
  return slot.fallback.map((entry) => {
    const parsed = parseFallback(entry, where);
    return { ...parsed, resolution: parsed.provider === planned.request.provider ? planned.request.resolution : null };
  });
}

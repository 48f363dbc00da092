import { createProvider, PROVIDER_ENV, type ClipProvider, type CreateProviderOptions } from '../clips/index.js';
import { ConfigError } from '../errors/index.js';
import type { InputImageStore } from './input-image-store.js';

/** Default model per provider id, for slots that name none. */
export const DEFAULT_PROVIDER_MODELS: Readonly<Record<string, string>> = {
  local: 'placeholder-v1',
  runway: 'gen4.5',
  luma: 'ray-flash-2',
};

/** Options of `ClipProviders`: `createProvider`'s, less the id, plus the run's first-frame images. */
export type ClipProvidersOptions = Omit<CreateProviderOptions, 'id' | 'resolveInputImage'> & {
  /**
   * First-frame images of the run (image→video): each provider gets the `resolveInputImage` it needs from
   * it (`InputImageStore.resolverFor`: a data URI for Runway, the row's https URL for Luma). Without it,
   * providers take no input images.
   */
  inputImages?: InputImageStore | null;
};

/** Builds providers lazily by id and keeps one instance of each for the run. */
export class ClipProviders {
  readonly #instances = new Map<string, ClipProvider>();
  readonly #options: ClipProvidersOptions;
  constructor(options: ClipProvidersOptions) {
    this.#options = options;
  }

  /** The provider for `id`; throws `ConfigError` naming the missing variable when its key is not set. */
  get(id: string): ClipProvider {
    let provider = this.#instances.get(id);
    if (!provider) {
      provider = createProvider(this.#createOptions(id, this.#options.env));
      this.#instances.set(id, provider);
    }
    return provider;
  }

  #createOptions(id: string, env: CreateProviderOptions['env']): CreateProviderOptions {
    const { inputImages, ...rest } = this.#options;
    return { ...rest, ...(env ? { env } : {}), id, resolveInputImage: inputImages?.resolverFor(id) ?? null };
  }

  /**
   * A provider good enough to price requests, even without its key (for `plan`): the key
   * is replaced by a placeholder that is never sent anywhere.
   */
  forEstimate(id: string): ClipProvider {
    try {
      return this.get(id);
    } catch (error) {
      if (!(error instanceof ConfigError) || error.code !== 'RW_PROVIDER_KEY_MISSING') throw error;
      const names = PROVIDER_ENV[id as 'runway' | 'luma'];
      return createProvider(this.#createOptions(id, { ...(this.#options.env ?? process.env), [names.key]: 'estimate-only' }));
    }
  }
}

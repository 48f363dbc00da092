import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { RUNWAY_DATA_URI_MAX_BYTES, RUNWAY_IMAGE_TYPES, type ClipRequest, type ResolveInputImage } from '../clips/index.js';
import { ConfigError, throwIfAborted } from '../errors/index.js';

/** One first-frame image of the run (image→video), known by the sha256 of its bytes. */
export type InputImage = {
  /** sha256 (hex) of the bytes: what clip requests carry as `inputImageHash`. */
  hash: string;
  /** Local file holding the bytes: the row's own file, or the fetched copy of a remote image. */
  file: string;
  bytes: number;
  /** Media type read from the file's first bytes (`image/png`, `image/jpeg`, `image/webp`, `image/gif`). */
  mediaType: string;
  /** The https:// URL the row gave, when it gave one: Luma fetches the first frame from it. */
  httpsUrl: string | null;
};

const MB = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** Length of the data URI of `bytes` bytes of `mediaType` (base64: 4 characters per 3 bytes). */
function dataUriLength(mediaType: string, bytes: number): number {
  return `data:${mediaType};base64,`.length + 4 * Math.ceil(bytes / 3);
}

function invalid(request: ClipRequest, what: string): never {
  throw new ConfigError(`${request.provider === 'luma' ? 'Luma' : request.provider === 'runway' ? 'Runway' : request.provider} first frame: ${what}`, {
    code: 'RW_CLIP_INVALID_REQUEST',
  });
}

/**
 * The first-frame images of one run, by hash (filled by `collectInputImages` in `prepareBatch`). It checks
 * that a provider can take an image before anything is paid (`check`), and gives each provider the form it
 * needs at submit time (`resolverFor`): Runway a `data:image/…;base64,` URI (at most
 * `RUNWAY_DATA_URI_MAX_BYTES`), Luma the row's own https:// URL. The bytes are read again at submit time and
 * must still hash to the planned hash, so a file edited during the run cannot slip into a clip cached under
 * the old image's id.
 *
 * @example
 * const images = new InputImageStore();
 * images.add({ hash, file: '/data/photos/ada.png', bytes: 41_233, mediaType: 'image/png', httpsUrl: null });
 * const providers = new ClipProviders({ env, config, inputImages: images });
 */
export class InputImageStore {
  readonly #images = new Map<string, InputImage>();

  /** Records an image; the same bytes seen again (another row, another path) keep the first file, and gain an https URL if this one has it. */
  add(image: InputImage): void {
    const known = this.#images.get(image.hash);
    if (!known) this.#images.set(image.hash, { ...image });
    else if (known.httpsUrl === null && image.httpsUrl !== null) this.#images.set(image.hash, { ...known, httpsUrl: image.httpsUrl });
  }

  /** The image with this hash, or null. */
  get(hash: string): InputImage | null {
    return this.#images.get(hash) ?? null;
  }

  /** Images known. */
  get size(): number {
    return this.#images.size;
  }

  /**
   * Throws `ConfigError` `RW_CLIP_INVALID_REQUEST` when the request's provider cannot take its first frame:
   * Runway needs a PNG, JPEG or WebP image whose data URI fits `RUNWAY_DATA_URI_MAX_BYTES`; Luma needs an
   * https:// URL (it downloads the image itself), so a local file cannot go to Luma. Other providers (`local`)
   * ignore the image. A request without an image passes.
   */
  check(request: ClipRequest): void {
    if (request.inputImageHash === null) return;
    const image = this.#images.get(request.inputImageHash);
    if (!image) invalid(request, `no image with hash ${request.inputImageHash.slice(0, 12)}… was read in this run (a bug: prepareBatch reads every first frame).`);
    if (request.provider === 'runway') {
      if (!RUNWAY_IMAGE_TYPES.includes(image.mediaType)) {
        invalid(request, `Runway takes a PNG, JPEG or WebP image; ${image.file} is ${image.mediaType}. Save the image as PNG or JPEG.`);
      }
      const length = dataUriLength(image.mediaType, image.bytes);
      if (length > RUNWAY_DATA_URI_MAX_BYTES) {
        invalid(
          request,
          `${image.file} is ${MB(image.bytes)} (${MB(length)} as a data URI); Runway takes at most ${MB(RUNWAY_DATA_URI_MAX_BYTES)} inline. ` +
            'Use a smaller image (a JPEG of about 3.7 MB or less).',
        );
      }
    } else if (request.provider === 'luma' && image.httpsUrl === null) {
      invalid(
        request,
        `Luma image→video needs an https:// image URL (Luma downloads the first frame itself), but this row's image is a local file (${image.file}). ` +
          'Put the image at an https:// address and use that URL in the cell, or make this slot on Runway.',
      );
    }
  }

  /**
   * What `createProvider` passes as `resolveInputImage` for a provider: Runway gets a data URI of the bytes,
   * Luma the row's https:// URL; null for providers that take no image (`local`).
   */
  resolverFor(provider: string): ResolveInputImage | null {
    if (provider === 'runway') return (hash, signal) => this.#dataUri(hash, signal);
    if (provider === 'luma') return (hash) => this.#httpsUrl(hash);
    return null;
  }

  async #dataUri(hash: string, signal: AbortSignal | null): Promise<string> {
    const image = this.#images.get(hash);
    if (!image) throw new ConfigError(`Runway first frame: no image with hash ${hash.slice(0, 12)}… was read in this run.`, { code: 'RW_CLIP_INVALID_REQUEST' });
    throwIfAborted(signal);
    const bytes = await readFile(image.file, { signal: signal ?? undefined });
    if (createHash('sha256').update(bytes).digest('hex') !== hash) {
      throw new ConfigError(`Runway first frame: ${image.file} changed since the batch was planned. Run the batch again to plan it with the new image.`, {
        code: 'RW_CLIP_INVALID_REQUEST',
      });
    }
    const uri = `data:${image.mediaType};base64,${bytes.toString('base64')}`;
    if (uri.length > RUNWAY_DATA_URI_MAX_BYTES) {
      throw new ConfigError(`Runway first frame: ${image.file} is ${MB(uri.length)} as a data URI; Runway takes at most ${MB(RUNWAY_DATA_URI_MAX_BYTES)} inline. Use a smaller image.`, {
        code: 'RW_CLIP_INVALID_REQUEST',
      });
    }
    return uri;
  }

  #httpsUrl(hash: string): string {
    const url = this.#images.get(hash)?.httpsUrl;
    if (!url) {
      throw new ConfigError('Luma image→video needs an https:// image URL (Luma downloads the first frame itself); this image is a local file.', {
        code: 'RW_CLIP_INVALID_REQUEST',
      });
    }
    return url;
  }
}

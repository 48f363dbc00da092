import { stat } from 'node:fs/promises';
import { RenderError, CancelledError } from '../errors/index.js';
import { probeMedia } from '../media/index.js';
import type { AudioSource } from './plan-audio-mix.js';
import type { FileServer } from './serve-files.js';

/** Files whose length is remembered (a batch plays the same music bed in every row: probe it once per process). */
const PROBE_CACHE_SIZE = 64;
/** Path → length, valid while the file's size and mtime are unchanged. */
const probed = new Map<string, { size: number; mtimeMs: number; durationSeconds: number }>();

/** Options for `resolveAudioSource`. */
export type ResolveAudioSourceOptions = {
  /** The server the page loads from: it maps the URL back to the file it serves. */
  server: Pick<FileServer, 'resolveUrl'>;
  /** The `<Audio>` element's src as the page resolved it (absolute URL). */
  src: string;
  /** Where the element was first heard, for messages: `template "x" variant "y", frame 15`. */
  where: string;
  signal?: AbortSignal | null;
};

/**
 * Finds the local file behind an `<Audio>` src (a template asset in the bundle, or a mounted row file) and reads its
 * length with ffprobe (remembered per process while the file's size and mtime stay the same). Fails with `RenderError`:
 * - `RW_AUDIO_NOT_SERVED` when the URL is not one of the renderer's files (a literal remote URL in the template);
 * - `RW_AUDIO_NOT_FOUND` when the file does not exist (the message names the path);
 * - `RW_AUDIO_UNREADABLE` when ffprobe cannot decode it or it has no audio stream.
 *
 * @example
 * const source = await resolveAudioSource({ server, src: entry.src, where: 'template "recap" variant "landscape", frame 0' });
 */
export async function resolveAudioSource(options: ResolveAudioSourceOptions): Promise<AudioSource> {
  const { src, where } = options;
  const element = `<Audio src="${src}">`;
  const resolved = await options.server.resolveUrl(src);
  if (resolved.path === null) {
    throw new RenderError(
      `${where}: ${element} is not a file the renderer serves, so it cannot be mixed into the video. Import the file in the template ` +
        "(import music from './music.m4a') or pass it through an audio slot; remote URLs in a template are not fetched.",
      { code: 'RW_AUDIO_NOT_SERVED' },
    );
  }
  if (!resolved.exists) {
    throw new RenderError(`${where}: the audio file ${resolved.path} (${element}) does not exist. Check the path in the row or the template's import.`, {
      code: 'RW_AUDIO_NOT_FOUND',
    });
  }
  const file = resolved.path;
  const { size, mtimeMs } = await stat(file);
  const known = probed.get(file);
  if (known && known.size === size && known.mtimeMs === mtimeMs) return { file, durationSeconds: known.durationSeconds };
  let info;
  try {
    info = await probeMedia({ file, signal: options.signal ?? null });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const detail = error instanceof Error ? (error.message.split('\n').slice(1).join(' ').trim() || error.message) : String(error);
    throw new RenderError(
      `${where}: the audio file ${file} (${element}) cannot be decoded: ${detail}. Use a file ffmpeg reads (m4a/AAC, mp3, wav, ogg/Opus, flac).`,
      { code: 'RW_AUDIO_UNREADABLE', cause: error },
    );
  }
  const durationSeconds = info.audio?.durationSeconds ?? info.durationSeconds;
  if (!info.audio || !(durationSeconds > 0)) {
    throw new RenderError(
      `${where}: the audio file ${file} (${element}) has ${info.audio ? 'no length' : 'no audio stream'}. Use a file ffmpeg reads (m4a/AAC, mp3, wav, ogg/Opus, flac).`,
      { code: 'RW_AUDIO_UNREADABLE' },
    );
  }
  probed.set(file, { size, mtimeMs, durationSeconds });
  if (probed.size > PROBE_CACHE_SIZE) probed.delete(probed.keys().next().value as string);
  return { file, durationSeconds };
}

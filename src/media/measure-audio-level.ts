import { runFfmpeg } from './run-ffmpeg.js';

/** Options for `measureAudioLevel`. */
export type MeasureAudioLevelOptions = {
  /** A media file with an audio stream. */
  file: string;
  /** Seconds into the file where the measured stretch starts; default 0. */
  start?: number;
  /** Seconds into the file where it ends; default the end. */
  end?: number;
  signal?: AbortSignal | null;
};

/** Loudness of a stretch of audio, in dBFS (digital silence reads about −91 dB). */
export type AudioLevel = { meanDb: number; maxDb: number };

/**
 * Measures the mean and peak level of the first audio stream over `[start, end)` with ffmpeg `volumedetect`.
 * For tests and diagnostics (is the music audible after 0.5 s, is the fade-out quieter).
 *
 * @example
 * const { meanDb } = await measureAudioLevel({ file: 'out/ada.mp4', start: 0, end: 0.4 });
 */
export async function measureAudioLevel(options: MeasureAudioLevelOptions): Promise<AudioLevel> {
  const trim = [`start=${options.start ?? 0}`, ...(options.end === undefined ? [] : [`end=${options.end}`])].join(':');
  const { stderr } = await runFfmpeg({
    args: ['-hide_banner', '-nostdin', '-loglevel', 'info', '-i', options.file, '-map', '0:a:0', '-af', `atrim=${trim},volumedetect`, '-f', 'null', '-'],
    captureStdout: false,
    signal: options.signal ?? null,
  });
  const read = (name: string): number => {
    const match = new RegExp(`${name}: (-?[\\d.]+|-inf) dB`).exec(stderr);
    if (!match) throw new Error(`measureAudioLevel: ffmpeg printed no ${name} for ${options.file} (${trim}); is the stretch empty?`);
    return match[1] === '-inf' ? -Infinity : Number(match[1]);
  };
  return { meanDb: read('mean_volume'), maxDb: read('max_volume') };
}

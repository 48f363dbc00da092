import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledError, EncodeError } from '../errors/index.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Sample rate of the AAC track. */
export const DEFAULT_AUDIO_SAMPLE_RATE = 48_000;
/** AAC bit rate in bits per second: transparent for music beds and voice in stereo. */
export const DEFAULT_AUDIO_BITRATE = 160_000;

/**
 * Gain samples per step of a changing volume (10 ms at 48 kHz). ffmpeg's `volume` evaluates its expression once per
 * audio frame (1024 samples by default); smaller frames make ramps smooth.
 */
const RAMP_STEP_SAMPLES = 480;

/** A gain at a moment of a track: `t` seconds from the track's start (output time), gain `v` (1 = as recorded). */
export type VolumePoint = { t: number; v: number };

/** One stretch of one audio file placed on the video's timeline. */
export type AudioTrack = {
  /** Local audio file (any format ffmpeg decodes). */
  file: string;
  /** Seconds into the file where the stretch starts. */
  fileStart: number;
  /** Seconds of the file played (file time; the stretch lasts `fileDuration / playbackRate` in the video). */
  fileDuration: number;
  /** Seconds into the video where the stretch starts. */
  at: number;
  /** Tempo factor, 0.25–4 (`atempo`, pitch kept). */
  playbackRate: number;
  /** Gain envelope, linear between points and constant outside them; one point is a constant gain. Not empty. */
  volume: readonly VolumePoint[];
};

/** Options for `muxAudio`. */
export type MuxAudioOptions = {
  /** An MP4 with the video stream (copied as is; any audio in it is dropped). */
  videoFile: string;
  /** The MP4 with video and audio; written under a temporary name next to it and renamed when complete. */
  outFile: string;
  /** Length of the audio track in seconds: the video's (frames / fps). The mix is padded with silence or cut to it. */
  durationSeconds: number;
  /** What plays when; overlapping tracks are summed (no normalisation). Not empty. */
  tracks: readonly AudioTrack[];
  /** Defaults to `DEFAULT_AUDIO_SAMPLE_RATE`. */
  sampleRate?: number;
  /** Defaults to `DEFAULT_AUDIO_BITRATE`. */
  bitrate?: number;
  /** Kills ffmpeg; nothing appears at `outFile`. */
  signal?: AbortSignal | null;
};

/** What `muxAudio` wrote. */
export type MuxAudioResult = {
  file: string;
  bytes: number;
  /** Wall-clock seconds of the ffmpeg pass. */
  elapsedSeconds: number;
};

function check(condition: boolean, message: string): void {
  if (!condition) throw new EncodeError(`muxAudio: ${message}`, { code: 'RW_INVALID_OPTION' });
}

/** A number in ffmpeg syntax: fixed notation (never `1e-7`), at most 9 decimals. */
function num(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const fixed = value.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/**
 * The `volume` filter for an envelope: a constant, or a flat sum of clipped ramps
 * `v0 + Σ slope_k · clip(t − t_(k−1), 0, t_k − t_(k−1))` (no nesting, so long envelopes parse in linear time).
 */
function volumeFilter(points: readonly VolumePoint[]): string {
  const first = points[0] as VolumePoint;
  if (points.every((point) => point.v === first.v)) return first.v === 1 ? '' : `volume=${num(first.v)}`;
  let expression = num(first.v);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as VolumePoint;
    const b = points[i] as VolumePoint;
    const span = b.t - a.t;
    if (span <= 0 || b.v === a.v) continue;
    const slope = (b.v - a.v) / span;
    expression += `${slope < 0 ? '-' : '+'}${num(Math.abs(slope))}*clip(t-${num(a.t)}\\,0\\,${num(span)})`;
  }
  return `asetnsamples=n=${RAMP_STEP_SAMPLES}:p=0,volume=volume=${expression}:eval=frame`;
}

/** `atempo` accepts 0.5–100 per instance: chain two for slower rates. */
function tempoFilters(rate: number): string[] {
  if (rate === 1) return [];
  if (rate >= 0.5) return [`atempo=${num(rate)}`];
  return ['atempo=0.5', `atempo=${num(rate / 0.5)}`];
}

/** The filtergraph: each file decoded once, resampled, split per track; tracks trimmed, shifted, mixed, cut to length. */
function buildFilterGraph(files: readonly string[], tracks: readonly AudioTrack[], sampleRate: number, totalSamples: number): string {
  const lines: string[] = [];
  const labelsByFile = files.map(() => [] as string[]);
  const chains: string[] = [];
  tracks.forEach((track, index) => {
    const input = files.indexOf(track.file);
    const split = `s${index}`;
    (labelsByFile[input] as string[]).push(split);
    const start = Math.round(track.fileStart * sampleRate);
    const end = Math.max(start + 1, Math.round((track.fileStart + track.fileDuration) * sampleRate));
    const filters = [
      `atrim=start_sample=${start}:end_sample=${end}`,
      'asetpts=PTS-STARTPTS',
      ...tempoFilters(track.playbackRate),
      volumeFilter(track.volume),
      `adelay=delays=${Math.round(track.at * sampleRate)}S:all=1`,
    ].filter((filter) => filter !== '');
    chains.push(`[${split}]${filters.join(',')}[t${index}]`);
  });
  labelsByFile.forEach((labels, input) => {
    const head = `[${input + 1}:a:0]aresample=${sampleRate},aformat=sample_fmts=fltp:channel_layouts=stereo`;
    lines.push(labels.length === 1 ? `${head}[${labels[0]}]` : `${head},asplit=${labels.length}${labels.map((l) => `[${l}]`).join('')}`);
  });
  lines.push(...chains);
  const mixed = tracks.map((_, index) => `[t${index}]`).join('');
  const mix = tracks.length === 1 ? `${mixed}anull` : `${mixed}amix=inputs=${tracks.length}:normalize=0:dropout_transition=0`;
  lines.push(`${mix},apad=whole_len=${totalSamples},atrim=end_sample=${totalSamples}[aout]`);
  return `${lines.join(';\n')}\n`;
}

/**
 * Adds an AAC track (stereo, 48 kHz, 160 kb/s) to an MP4 without re-encoding its video (`-c:v copy`): every track is
 * cut from its file (`atrim`), sped up or slowed down (`atempo`), shaped by its gain envelope (`volume`), placed at
 * its start (`adelay`), then all are summed (`amix`, no normalisation) and padded or cut to exactly
 * `durationSeconds`. Single-threaded, so the same inputs give the same bytes.
 *
 * Writes `outFile` under a temporary name in its folder and renames it when complete; on failure nothing appears
 * there. Fails with `EncodeError` `RW_AUDIO_MUX_FAILED` (ffmpeg's message names the file it could not read).
 *
 * @example
 * await muxAudio({
 *   videoFile: '.ada.video.mp4', outFile: 'out/ada.mp4', durationSeconds: 6,
 *   tracks: [{ file: 'music.m4a', fileStart: 0, fileDuration: 6, at: 0, playbackRate: 1, volume: [{ t: 0, v: 0.5 }] }],
 * });
 */
export async function muxAudio(options: MuxAudioOptions): Promise<MuxAudioResult> {
  const { videoFile, outFile, durationSeconds, tracks } = options;
  const sampleRate = options.sampleRate ?? DEFAULT_AUDIO_SAMPLE_RATE;
  const bitrate = options.bitrate ?? DEFAULT_AUDIO_BITRATE;
  const signal = options.signal ?? null;
  check(typeof videoFile === 'string' && videoFile !== '', 'options.videoFile must be a path.');
  check(typeof outFile === 'string' && outFile !== '', 'options.outFile must be a path.');
  check(Number.isFinite(durationSeconds) && durationSeconds > 0, `options.durationSeconds must be > 0, got ${durationSeconds}.`);
  check(Array.isArray(tracks) && tracks.length > 0, 'options.tracks must list at least one track (leave a silent video alone).');
  check(Number.isInteger(sampleRate) && sampleRate >= 8_000 && sampleRate <= 192_000, `options.sampleRate must be an integer 8000–192000, got ${sampleRate}.`);
  check(Number.isInteger(bitrate) && bitrate >= 32_000 && bitrate <= 512_000, `options.bitrate must be an integer 32000–512000, got ${bitrate}.`);
  tracks.forEach((track, i) => {
    const where = `options.tracks[${i}]`;
    check(typeof track.file === 'string' && track.file !== '', `${where}.file must be a path.`);
    check(Number.isFinite(track.fileStart) && track.fileStart >= 0, `${where}.fileStart must be ≥ 0, got ${track.fileStart}.`);
    check(Number.isFinite(track.fileDuration) && track.fileDuration > 0, `${where}.fileDuration must be > 0, got ${track.fileDuration}.`);
    check(Number.isFinite(track.at) && track.at >= 0, `${where}.at must be ≥ 0, got ${track.at}.`);
    check(track.playbackRate >= 0.25 && track.playbackRate <= 4, `${where}.playbackRate must be 0.25–4, got ${track.playbackRate}.`);
    check(
      track.volume.length > 0 && track.volume.every((p) => Number.isFinite(p.t) && Number.isFinite(p.v) && p.v >= 0),
      `${where}.volume must list at least one { t, v } with finite t and v ≥ 0.`,
    );
  });
  if (signal?.aborted) throw new CancelledError(`Adding audio to ${outFile} was cancelled before it started.`, signal.reason);

  const started = performance.now();
  const files = [...new Set(tracks.map((track) => track.file))];
  const totalSamples = Math.round(durationSeconds * sampleRate);
  const graph = buildFilterGraph(files, tracks, sampleRate, totalSamples);
  const dir = path.dirname(path.resolve(outFile));
  const tempFile = path.join(dir, `.${path.basename(outFile)}.${randomBytes(6).toString('hex')}.tmp.mp4`);
  // The graph goes through a file: a long volume envelope would not fit in one argument.
  const scriptDir = await mkdtemp(path.join(tmpdir(), 'rw-mux-'));
  try {
    const script = path.join(scriptDir, 'audio.filtergraph');
    await writeFile(script, graph);
    await runFfmpeg({
      args: [
        '-hide_banner', '-nostdin', '-loglevel', 'error',
        '-threads', '1',
        '-i', videoFile,
        ...files.flatMap((file) => ['-i', file]),
        '-filter_complex_threads', '1',
        '-filter_complex_script', script,
        '-map', '0:v:0', '-map', '[aout]',
        '-c:v', 'copy',
        '-c:a', 'aac', '-b:a', String(bitrate), '-ar', String(sampleRate), '-ac', '2', '-threads', '1',
        '-movflags', '+faststart',
        '-f', 'mp4', '-y', tempFile,
      ],
      captureStdout: false,
      signal,
    });
    await rename(tempFile, outFile);
  } catch (error) {
    await unlink(tempFile).catch((cleanup: NodeJS.ErrnoException) => {
      // ffmpeg may have failed before creating it.
      if (cleanup.code !== 'ENOENT') throw cleanup;
    });
    if (error instanceof EncodeError && error.code === 'RW_FFMPEG_FAILED') {
      throw new EncodeError(`Adding audio to ${outFile} failed (${files.join(', ')}): ${error.message}`, { code: 'RW_AUDIO_MUX_FAILED', cause: error });
    }
    throw error;
  } finally {
    await rm(scriptDir, { recursive: true, force: true });
  }
  const { size } = await stat(outFile);
  return { file: outFile, bytes: size, elapsedSeconds: (performance.now() - started) / 1000 };
}

import type { AudioTrack, VolumePoint } from '../media/index.js';
import type { AudioFrameEntry } from './page/page-api.js';

/** Gains closer than this are the same (−80 dB of difference; inaudible). */
const GAIN_EPSILON = 1e-4;
/** File times closer than this (seconds) continue each other; a larger jump starts a new segment. */
const TIME_EPSILON = 1e-6;

/** The `<Audio>` elements the page reported at one frame. */
export type AudioFrame = { frame: number; audio: readonly AudioFrameEntry[] };

/** What the renderer knows about one audio source (by the URL the page used). */
export type AudioSource = {
  /** Local path of the file. */
  file: string;
  /** Length of the file's audio in seconds (ffprobe). */
  durationSeconds: number;
};

/** Options for `planAudioMix`. */
export type PlanAudioMixOptions = {
  /** Frames that had at least one `<Audio>` mounted, in frame order. */
  frames: readonly AudioFrame[];
  fps: number;
  /** Source URL (`AudioFrameEntry.src`) → local file and length. Every URL in `frames` must be here. */
  sources: ReadonlyMap<string, AudioSource>;
};

/** Frames of one element in which its file time advances steadily (no seek, no change of source or rate). */
type Run = { entries: { frame: number; entry: AudioFrameEntry }[] };

function continues(previous: { frame: number; entry: AudioFrameEntry }, next: { frame: number; entry: AudioFrameEntry }, fps: number): boolean {
  const a = previous.entry;
  const b = next.entry;
  return (
    next.frame === previous.frame + 1 &&
    a.src === b.src &&
    a.playbackRate === b.playbackRate &&
    a.startFrom === b.startFrom &&
    a.endAt === b.endAt &&
    a.loop === b.loop &&
    Math.abs(b.time - (a.time + a.playbackRate / fps)) < TIME_EPSILON
  );
}

/** Linear interpolation of an envelope (sorted by t) at `t`; constant outside it. */
function gainAt(points: readonly VolumePoint[], t: number): number {
  const first = points[0] as VolumePoint;
  if (t <= first.t) return first.v;
  for (let i = 1; i < points.length; i++) {
    const b = points[i] as VolumePoint;
    if (t <= b.t) {
      const a = points[i - 1] as VolumePoint;
      return b.t === a.t ? b.v : a.v + ((b.v - a.v) * (t - a.t)) / (b.t - a.t);
    }
  }
  return (points[points.length - 1] as VolumePoint).v;
}

/** Drops points that lie on the line through their neighbours (a constant or a straight fade keeps 1 or 2 points). */
function simplify(points: readonly VolumePoint[]): VolumePoint[] {
  const kept: VolumePoint[] = [];
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as VolumePoint;
    const next = points[i + 1];
    const previous = kept[kept.length - 1];
    if (previous && next && next.t > previous.t) {
      const expected = previous.v + ((next.v - previous.v) * (point.t - previous.t)) / (next.t - previous.t);
      if (Math.abs(expected - point.v) < GAIN_EPSILON) continue;
    }
    if (previous && Math.abs(previous.t - point.t) < TIME_EPSILON) {
      previous.v = point.v;
      continue;
    }
    kept.push({ ...point });
  }
  if (kept.every((point) => Math.abs(point.v - (kept[0] as VolumePoint).v) < GAIN_EPSILON)) return [{ t: 0, v: (kept[0] as VolumePoint).v }];
  // The gain holds after the last point: a final point equal to the one before says nothing.
  while (kept.length > 1 && Math.abs((kept[kept.length - 1] as VolumePoint).v - (kept[kept.length - 2] as VolumePoint).v) < GAIN_EPSILON) kept.pop();
  return kept;
}

/**
 * Turns what the page reported frame by frame into audio tracks for `muxAudio`: consecutive frames of one `<Audio>`
 * element whose file time advances by `playbackRate / fps` per frame become one stretch of the file; a loop becomes
 * one track per pass (cut at the exact loop point, not at a frame boundary); the element's per-frame volume and its
 * fades become a gain envelope (linear between frames). Silent stretches (past the end without `loop`, or gain 0
 * throughout) are left out. Pure: the same frames and sources give the same tracks.
 *
 * @example
 * const tracks = planAudioMix({ frames, fps: 30, sources: new Map([[url, { file: '/t/music.m4a', durationSeconds: 12 }]]) });
 * if (tracks.length > 0) await muxAudio({ videoFile, outFile, durationSeconds, tracks });
 */
export function planAudioMix(options: PlanAudioMixOptions): AudioTrack[] {
  const { fps, sources } = options;
  // Group by element, keeping frame order.
  const byElement = new Map<number, { frame: number; entry: AudioFrameEntry }[]>();
  for (const { frame, audio } of options.frames) {
    for (const entry of audio) {
      let list = byElement.get(entry.id);
      if (!list) byElement.set(entry.id, (list = []));
      list.push({ frame, entry });
    }
  }
  const tracks: AudioTrack[] = [];
  for (const id of [...byElement.keys()].sort((a, b) => a - b)) {
    const frames = byElement.get(id) as { frame: number; entry: AudioFrameEntry }[];
    const first = frames[0] as { frame: number; entry: AudioFrameEntry };
    const last = frames[frames.length - 1] as { frame: number; entry: AudioFrameEntry };
    // The element is heard from its first frame to the end of its last one; fades hang on those two moments.
    const elementStart = first.frame / fps;
    const elementEnd = (last.frame + 1) / fps;
    const fadeIn = first.entry.fadeInSeconds;
    const fadeOut = last.entry.fadeOutSeconds;
    const fade = (t: number): number => {
      let gain = 1;
      if (fadeIn > 0) gain = Math.min(gain, Math.max(0, (t - elementStart) / fadeIn));
      if (fadeOut > 0) gain = Math.min(gain, Math.max(0, (elementEnd - t) / fadeOut));
      return gain;
    };

    const runs: Run[] = [];
    for (const item of frames) {
      const run = runs[runs.length - 1];
      const previous = run?.entries[run.entries.length - 1];
      if (run && previous && continues(previous, item, fps)) run.entries.push(item);
      else runs.push({ entries: [item] });
    }

    for (const run of runs) {
      const head = run.entries[0] as { frame: number; entry: AudioFrameEntry };
      const tail = run.entries[run.entries.length - 1] as { frame: number; entry: AudioFrameEntry };
      const { src, startFrom, endAt, loop, playbackRate: rate } = head.entry;
      const source = sources.get(src);
      if (!source) throw new Error(`planAudioMix: no source for ${src} (every src in frames must be in options.sources).`);
      const runStart = head.frame / fps;
      const runEnd = (tail.frame + 1) / fps;

      // Gain envelope in video time: each frame's volume at its start, the fades' corners, and the run's end.
      const volumeAt = new Map(run.entries.map(({ frame, entry }) => [frame, entry.volume]));
      const frameGain = (t: number): number => {
        const f = t * fps;
        const below = Math.min(tail.frame, Math.max(head.frame, Math.floor(f + 1e-9)));
        const above = Math.min(tail.frame, below + 1);
        const a = volumeAt.get(below) as number;
        const b = volumeAt.get(above) as number;
        return above === below ? a : a + (b - a) * (f - below);
      };
      const times = new Set<number>([...run.entries.map(({ frame }) => frame / fps), runEnd]);
      for (const corner of [elementStart + fadeIn, elementEnd - fadeOut]) if (corner > runStart && corner < runEnd) times.add(corner);
      const envelope = [...times].sort((a, b) => a - b).map((t) => ({ t, v: frameGain(t) * fade(t) }));

      // Where in the file: [startFrom, end) is played, once or looping.
      const end = Math.min(endAt ?? source.durationSeconds, source.durationSeconds);
      const span = end - startFrom;
      if (!(span > TIME_EPSILON)) continue;
      let offset = head.entry.time - startFrom;
      let t = runStart;
      if (offset < 0) {
        t += -offset / rate;
        offset = 0;
      }
      if (loop) offset -= Math.floor(offset / span + 1e-9) * span;
      while (t < runEnd - TIME_EPSILON && offset < span - TIME_EPSILON) {
        const pieceEnd = Math.min(runEnd, t + (span - offset) / rate);
        const local = [...envelope.filter((p) => p.t > t && p.t < pieceEnd), { t: pieceEnd, v: gainAt(envelope, pieceEnd) }];
        const volume = simplify([{ t, v: gainAt(envelope, t) }, ...local].map((p) => ({ t: p.t - t, v: p.v })));
        if (volume.some((p) => p.v > GAIN_EPSILON)) {
          tracks.push({ file: source.file, fileStart: startFrom + offset, fileDuration: (pieceEnd - t) * rate, at: t, playbackRate: rate, volume });
        }
        t = pieceEnd;
        offset = loop ? 0 : span;
      }
    }
  }
  return tracks;
}

import { describe, expect, it } from 'vitest';
import type { AudioFrameEntry } from './index.js';
import { planAudioMix } from './plan-audio-mix.js';
import type { AudioFrame } from './plan-audio-mix.js';

const URL_A = 'http://127.0.0.1:1/bundles/x/assets/music.m4a';
const URL_B = 'http://127.0.0.1:1/files/abc/voice.wav';
const sources = new Map([
  [URL_A, { file: '/t/music.m4a', durationSeconds: 10 }],
  [URL_B, { file: '/t/voice.wav', durationSeconds: 0.4 }],
]);

type Element = Partial<AudioFrameEntry> & { from: number; frames: number };

/** What the page reports for elements mounted from frame `from` for `frames` frames, at `fps`. */
function framesOf(fps: number, ...elements: Element[]): AudioFrame[] {
  const byFrame = new Map<number, AudioFrameEntry[]>();
  elements.forEach(({ from, frames, ...props }, index) => {
    const rate = props.playbackRate ?? 1;
    for (let local = 0; local < frames; local++) {
      const entry: AudioFrameEntry = {
        id: index + 1,
        src: URL_A,
        volume: 1,
        startFrom: 0,
        endAt: null,
        loop: false,
        playbackRate: rate,
        fadeInSeconds: 0,
        fadeOutSeconds: 0,
        ...props,
        secondsLeft: (frames - local) / fps,
        time: (props.startFrom ?? 0) + (local * rate) / fps,
      };
      const list = byFrame.get(from + local) ?? [];
      list.push(entry);
      byFrame.set(from + local, list);
    }
  });
  return [...byFrame.keys()].sort((a, b) => a - b).map((frame) => ({ frame, audio: byFrame.get(frame) as AudioFrameEntry[] }));
}

describe('planAudioMix', () => {
  it('merges the frames of one element into one stretch of its file at a constant gain', () => {
    expect(planAudioMix({ frames: framesOf(30, { from: 0, frames: 60, volume: 0.5 }), fps: 30, sources })).toEqual([
      { file: '/t/music.m4a', fileStart: 0, fileDuration: 2, at: 0, playbackRate: 1, volume: [{ t: 0, v: 0.5 }] },
    ]);
  });

  it('starts an element mounted by a Sequence at the sequence start, from the file start', () => {
    const [track] = planAudioMix({ frames: framesOf(30, { from: 15, frames: 15 }), fps: 30, sources });
    expect(track).toMatchObject({ fileStart: 0, at: 0.5 });
    expect(track?.fileDuration).toBeCloseTo(0.5, 9);
  });

  it('cuts a looping file at its exact loop point into one track per pass', () => {
    const tracks = planAudioMix({ frames: framesOf(10, { from: 0, frames: 10, src: URL_B, loop: true }), fps: 10, sources });
    expect(tracks.map((t) => [t.at, t.fileStart, t.fileDuration].map((n) => Number(n.toFixed(6))))).toEqual([
      [0, 0, 0.4],
      [0.4, 0, 0.4],
      [0.8, 0, 0.2],
    ]);
  });

  it('plays a file once without loop, and loops only the startFrom–endAt window with it', () => {
    const once = planAudioMix({ frames: framesOf(10, { from: 0, frames: 10, src: URL_B }), fps: 10, sources });
    expect(once).toHaveLength(1);
    expect(once[0]?.fileDuration).toBeCloseTo(0.4, 9);
    const window = planAudioMix({ frames: framesOf(10, { from: 0, frames: 10, startFrom: 1, endAt: 1.5, loop: true }), fps: 10, sources });
    expect(window.map((t) => [t.at, t.fileStart, t.fileDuration].map((n) => Number(n.toFixed(6))))).toEqual([
      [0, 1, 0.5],
      [0.5, 1, 0.5],
    ]);
  });

  it('turns fades into a gain envelope that reaches 0 at the edges of the element', () => {
    const [track] = planAudioMix({ frames: framesOf(10, { from: 0, frames: 20, volume: 0.8, fadeInSeconds: 0.5, fadeOutSeconds: 1 }), fps: 10, sources });
    expect(track?.volume.map((p) => [Number(p.t.toFixed(6)), Number(p.v.toFixed(6))])).toEqual([
      [0, 0],
      [0.5, 0.8],
      [1, 0.8],
      [2, 0],
    ]);
  });

  it('follows a volume that changes per frame, ramping between frames', () => {
    const frames = framesOf(10, { from: 0, frames: 10 }).map(({ frame, audio }) => ({
      frame,
      audio: audio.map((entry) => ({ ...entry, volume: frame < 5 ? frame / 5 : 1 })),
    }));
    const [track] = planAudioMix({ frames, fps: 10, sources });
    expect(track?.volume.map((p) => [Number(p.t.toFixed(6)), Number(p.v.toFixed(6))])).toEqual([
      [0, 0],
      [0.5, 1],
    ]);
  });

  it('starts a new stretch when the file time jumps and honours playbackRate', () => {
    const frames = framesOf(10, { from: 0, frames: 10, playbackRate: 2 }).map(({ frame, audio }) => ({
      frame,
      // From frame 5 on, the template seeks 3 s further into the file.
      audio: audio.map((entry) => ({ ...entry, time: entry.time + (frame >= 5 ? 3 : 0) })),
    }));
    const tracks = planAudioMix({ frames, fps: 10, sources });
    expect(tracks.map((t) => [t.at, t.fileStart, t.fileDuration, t.playbackRate].map((n) => Number(n.toFixed(6))))).toEqual([
      [0, 0, 1, 2],
      [0.5, 4, 1, 2],
    ]);
  });

  it('mixes two elements as separate tracks and leaves out silent ones', () => {
    const tracks = planAudioMix({
      frames: framesOf(10, { from: 0, frames: 10 }, { from: 2, frames: 3, src: URL_B }, { from: 0, frames: 10, volume: 0 }),
      fps: 10,
      sources,
    });
    expect(tracks.map((t) => [t.file, t.at])).toEqual([
      ['/t/music.m4a', 0],
      ['/t/voice.wav', 0.2],
    ]);
  });
});

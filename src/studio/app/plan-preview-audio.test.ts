import { describe, expect, it } from 'vitest';
import type { AudioFrameEntry } from '../../render/index.js';
import { planPreviewAudio, type AudioElementState } from './plan-preview-audio.js';

const MUSIC = 'http://127.0.0.1:3838/files/state/cache/bundles/abc/music-X1.m4a';
const VOICE = 'http://127.0.0.1:3838/files/datasets/voice/ada.mp3';

function entry(overrides: Partial<AudioFrameEntry> = {}): AudioFrameEntry {
  return {
    id: 1,
    src: MUSIC,
    time: 2,
    volume: 1,
    startFrom: 0,
    endAt: null,
    loop: false,
    playbackRate: 1,
    fadeInSeconds: 0,
    fadeOutSeconds: 0,
    secondsLeft: 8,
    ...overrides,
  };
}

function elements(states: Record<string, AudioElementState>): Map<string, AudioElementState> {
  return new Map(Object.entries(states));
}

describe('planPreviewAudio', () => {
  it('creates and seeks an element for a src it has not seen yet', () => {
    const plan = planPreviewAudio({ entries: [entry({ time: 1.5 })], elements: new Map() });
    expect(plan).toEqual({ play: [{ src: MUSIC, volume: 1, playbackRate: 1, seekTo: 1.5 }], pause: [] });
  });

  it('leaves a playing element alone within the drift threshold and seeks it beyond', () => {
    const within = planPreviewAudio({ entries: [entry({ time: 2 })], elements: elements({ [MUSIC]: { currentTime: 2.14, duration: 10 } }) });
    expect(within.play[0]?.seekTo).toBeNull();
    const behind = planPreviewAudio({ entries: [entry({ time: 2 })], elements: elements({ [MUSIC]: { currentTime: 1.8, duration: 10 } }) });
    expect(behind.play[0]?.seekTo).toBe(2);
    const custom = planPreviewAudio({ entries: [entry({ time: 2 })], elements: elements({ [MUSIC]: { currentTime: 2.14, duration: 10 } }), driftSeconds: 0.1 });
    expect(custom.play[0]?.seekTo).toBe(2);
  });

  it('adds the time the page was late by, at the entry playback rate', () => {
    const plan = planPreviewAudio({ entries: [entry({ time: 2, playbackRate: 2 })], elements: new Map(), lateSeconds: 0.25 });
    expect(plan.play[0]).toMatchObject({ playbackRate: 2, seekTo: 2.5 });
    const early = planPreviewAudio({ entries: [entry({ time: 2 })], elements: new Map(), lateSeconds: -1 });
    expect(early.play[0]?.seekTo).toBe(2);
  });

  it('clamps the volume to 0..1 and applies the fade-in', () => {
    expect(planPreviewAudio({ entries: [entry({ volume: 1.7 })], elements: new Map() }).play[0]?.volume).toBe(1);
    expect(planPreviewAudio({ entries: [entry({ volume: -0.2 })], elements: new Map() }).play[0]?.volume).toBe(0);
    expect(planPreviewAudio({ entries: [entry({ volume: Number.NaN })], elements: new Map() }).play[0]?.volume).toBe(0);
    // 0.5 s into a 2 s fade-in at volume 0.8.
    const fading = planPreviewAudio({ entries: [entry({ time: 1.5, startFrom: 1, volume: 0.8, fadeInSeconds: 2 })], elements: new Map() });
    expect(fading.play[0]?.volume).toBeCloseTo(0.2, 10);
  });

  it('fades out over the last fadeOutSeconds before the end of the element\'s sequences (or the video)', () => {
    const gain = (secondsLeft: number, lateSeconds = 0) =>
      planPreviewAudio({ entries: [entry({ volume: 0.8, fadeOutSeconds: 2, secondsLeft })], elements: new Map(), lateSeconds }).play[0]?.volume;
    expect(gain(5)).toBeCloseTo(0.8, 10);
    // 0.5 s left of a 2 s fade-out at volume 0.8; the page was 0.25 s late, so 0.25 s are left by now.
    expect(gain(0.5)).toBeCloseTo(0.2, 10);
    expect(gain(0.5, 0.25)).toBeCloseTo(0.1, 10);
    expect(gain(0)).toBe(0);
    // Without a fade-out the end changes nothing.
    expect(planPreviewAudio({ entries: [entry({ secondsLeft: 0.1 })], elements: new Map() }).play[0]?.volume).toBe(1);
  });

  it('pauses elements whose src is not in the frame, and keeps one element per src', () => {
    const plan = planPreviewAudio({
      entries: [entry({ id: 1, volume: 0.5 }), entry({ id: 2, volume: 0.9 })],
      elements: elements({ [MUSIC]: { currentTime: 2, duration: 10 }, [VOICE]: { currentTime: 0.4, duration: 3 } }),
    });
    expect(plan.play).toEqual([{ src: MUSIC, volume: 0.5, playbackRate: 1, seekTo: null }]);
    expect(plan.pause).toEqual([VOICE]);
    expect(planPreviewAudio({ entries: [], elements: elements({ [MUSIC]: { currentTime: 2, duration: 10 } }) }).pause).toEqual([MUSIC]);
  });

  it('is silent past endAt or the file end without loop, and wraps between startFrom and the end with loop', () => {
    const state = elements({ [MUSIC]: { currentTime: 4, duration: 5 } });
    expect(planPreviewAudio({ entries: [entry({ time: 4, endAt: 3 })], elements: state })).toEqual({ play: [], pause: [MUSIC] });
    expect(planPreviewAudio({ entries: [entry({ time: 6 })], elements: state })).toEqual({ play: [], pause: [MUSIC] });
    const looped = planPreviewAudio({ entries: [entry({ time: 7.5, startFrom: 1, endAt: 3, loop: true })], elements: state });
    expect(looped.play[0]?.seekTo).toBeCloseTo(1.5, 10);
    const toFileEnd = planPreviewAudio({ entries: [entry({ time: 6, startFrom: 1, loop: true })], elements: state });
    expect(toFileEnd.play[0]?.seekTo).toBeCloseTo(2, 10);
    // The file length is not known before the element loaded its metadata: play on from the unwrapped time.
    expect(planPreviewAudio({ entries: [entry({ time: 6, loop: true })], elements: new Map() }).play[0]?.seekTo).toBe(6);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClipId } from '../clips/index.js';
import { buildManifest } from './build-manifest.js';
import { createManifestHasher, type CreateManifestHasherOptions, type ManifestJobFields } from './create-manifest-hasher.js';
import { hashManifest } from './hash-manifest.js';

const shared: CreateManifestHasherOptions = {
  template: { id: 'welcome', version: '1.0.0' },
  templateHash: 'f'.repeat(64),
  fps: 30,
  rendererVersion: '0.1.0',
  renderSettings: { crf: 20, preset: 'veryfast', jpegQuality: 90, tune: null, tenBit: false },
};

const job: ManifestJobFields = {
  rowKey: 'ada',
  rowHash: 'a'.repeat(64),
  variant: { name: 'landscape', width: 1280, height: 720 },
  durationInFrames: 240,
  clips: { skyline: '0123456789abcdef0123456789abcdef' as ClipId, product: 'fedcba9876543210fedcba9876543210' as ClipId },
  outputName: 'ada-landscape.mp4',
};

/** The full path the fast hasher must agree with. */
const slow = (options: CreateManifestHasherOptions, fields: ManifestJobFields) => hashManifest(buildManifest({ ...options, ...fields }));

describe('createManifestHasher', () => {
  it('gives exactly hashManifest(buildManifest(…)) for ordinary and hostile job values', () => {
    const hashOf = createManifestHasher(shared);
    const jobs: ManifestJobFields[] = [
      job,
      { ...job, rowKey: 'c000001', outputName: 'c000001.mp4' },
      { ...job, rowKey: 'Zoë "quoted" \\ back\nline \u0000 nul \u2028', outputName: 'Zoë.mp4' },
      { ...job, rowKey: '\u0000reelwright-manifest:rowHash\u0000', rowHash: '\u0000reelwright-manifest:rowKey\u0000' },
      { ...job, variant: { name: 'vertical', width: 720, height: 1280 }, durationInFrames: 1 },
      { ...job, durationInFrames: -0 },
      { ...job, variant: { name: '😀', width: 0.5, height: 1e21 } },
      { ...job, clips: {} },
      { ...job, clips: { z: 'z' as ClipId, a: 'a' as ClipId, 'é': 'e' as ClipId, B: 'b' as ClipId } },
    ];
    for (const fields of jobs) expect(hashOf(fields)).toBe(slow(shared, fields));
  });

  it('changes with every per-job field', () => {
    const hashOf = createManifestHasher(shared);
    const changed: ManifestJobFields[] = [
      { ...job, rowKey: 'grace' },
      { ...job, rowHash: 'b'.repeat(64) },
      { ...job, variant: { ...job.variant, name: 'square' } },
      { ...job, variant: { ...job.variant, width: 1281 } },
      { ...job, variant: { ...job.variant, height: 721 } },
      { ...job, durationInFrames: 241 },
      { ...job, clips: { ...job.clips, skyline: '1'.repeat(32) as ClipId } },
      { ...job, outputName: 'ada-2.mp4' },
    ];
    const hashes = [hashOf(job), ...changed.map((fields) => hashOf(fields))];
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('agrees with the full path for other shared fields, including one that spells a stand-in', () => {
    const others: CreateManifestHasherOptions[] = [
      { ...shared, renderSettings: {} },
      { ...shared, fps: 23.976, rendererVersion: '9.9.9-beta' },
      { ...shared, template: { id: 'id "with" quotes', version: '' } },
      { ...shared, template: { id: '\u0000reelwright-manifest:outputName\u0000', version: '1' } },
      { ...shared, renderSettings: { '\u0000reelwright-manifest:clips\u0000': '\u0000reelwright-manifest:clips\u0000' } },
    ];
    for (const options of others) expect(createManifestHasher(options)(job)).toBe(slow(options, job));
  });

  it('refuses a frame count JSON cannot write, as hashManifest does', () => {
    const hashOf = createManifestHasher(shared);
    expect(() => slow(shared, { ...job, durationInFrames: Number.NaN })).toThrow(RangeError);
    expect(() => hashOf({ ...job, durationInFrames: Number.NaN })).toThrow(RangeError);
  });
});

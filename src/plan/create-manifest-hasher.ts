import { buildManifest, type BuildManifestOptions } from './build-manifest.js';
import { sha256Hex } from './sha256-hex.js';
import { toCanonicalJson, type JsonValue } from './to-canonical-json.js';

/** Options of `createManifestHasher`: the manifest fields that are the same for every job of a plan. */
export type CreateManifestHasherOptions = Pick<BuildManifestOptions, 'template' | 'templateHash' | 'fps' | 'rendererVersion' | 'renderSettings'>;

/** The manifest fields of one job (the rest comes from `CreateManifestHasherOptions`). */
export type ManifestJobFields = Pick<BuildManifestOptions, 'rowKey' | 'rowHash' | 'variant' | 'durationInFrames' | 'clips' | 'outputName'>;

/** Stand-ins for the per-job values: no real manifest holds them (NUL characters), and each must show up exactly once. */
const HOLES = ['rowKey', 'rowHash', 'variantName', 'variantWidth', 'variantHeight', 'durationInFrames', 'clips', 'outputName'] as const;
type Hole = (typeof HOLES)[number];
const holeText = (hole: Hole) => `\u0000reelwright-manifest:${hole}\u0000`;

/** Canonical JSON of the per-job values, in `HOLES` order (numbers and the clips object through `toCanonicalJson`). */
function fill(job: ManifestJobFields): string[] {
  return [
    JSON.stringify(job.rowKey),
    JSON.stringify(job.rowHash),
    JSON.stringify(job.variant.name),
    toCanonicalJson(job.variant.width),
    toCanonicalJson(job.variant.height),
    toCanonicalJson(job.durationInFrames),
    toCanonicalJson(job.clips as Readonly<Record<string, string>>),
    JSON.stringify(job.outputName),
  ];
}

/**
 * A function giving `hashManifest(buildManifest({ ...options, ...job }))` for each job of a plan, without
 * building and canonicalizing the whole manifest every time. The fields shared by all jobs (template,
 * bundle hash, fps, renderer, render settings) are canonicalized once: the manifest is written with a
 * stand-in for each per-job value, cut at the stand-ins, and each job's canonical values are put back in
 * their places. Canonical JSON is made of its members' canonical JSON, key order depends only on key
 * names, so the text (and the hash) is the same byte for byte. When a shared value happens to contain a
 * stand-in (it cannot, short of a NUL character in a template id), it falls back to the full path.
 *
 * @example
 * const hashOf = createManifestHasher({ template, templateHash, fps: 30, rendererVersion: '0.1.0', renderSettings: {} });
 * hashOf({ rowKey: 'ada', rowHash, variant: { name: 'default', width: 1280, height: 720 }, durationInFrames: 90, clips: {}, outputName: 'ada.mp4' });
 * @see hashManifest
 */
export function createManifestHasher(options: CreateManifestHasherOptions): (job: ManifestJobFields) => string {
  const shape = buildManifest({
    ...options,
    rowKey: holeText('rowKey'),
    rowHash: holeText('rowHash'),
    // Numbers and the clips object are stand-in strings here: only the text at their place changes.
    variant: { name: holeText('variantName'), width: holeText('variantWidth') as unknown as number, height: holeText('variantHeight') as unknown as number },
    durationInFrames: holeText('durationInFrames') as unknown as number,
    clips: {},
    outputName: holeText('outputName'),
  });
  (shape as { clips: unknown }).clips = holeText('clips');
  const text = toCanonicalJson(shape as unknown as JsonValue);
  // Cut the text at each stand-in (as JSON writes it), in the order they appear.
  const found = HOLES.map((hole) => ({ hole, quoted: JSON.stringify(holeText(hole)) })).map((h) => ({ ...h, at: text.indexOf(h.quoted) }));
  const unique = found.every((h) => h.at >= 0 && text.indexOf(h.quoted, h.at + 1) < 0);
  if (!unique) return (job) => sha256Hex(toCanonicalJson(buildManifest({ ...options, ...job }) as unknown as JsonValue));
  found.sort((a, b) => a.at - b.at);
  const pieces: string[] = [];
  const order: number[] = [];
  let from = 0;
  for (const h of found) {
    pieces.push(text.slice(from, h.at));
    order.push(HOLES.indexOf(h.hole));
    from = h.at + h.quoted.length;
  }
  const tail = text.slice(from);
  return (job) => {
    const values = fill(job);
    let out = '';
    for (let i = 0; i < pieces.length; i++) out += (pieces[i] as string) + (values[order[i] as number] as string);
    return sha256Hex(out + tail);
  };
}

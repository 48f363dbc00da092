import type { ClipId } from '../clips/index.js';
import type { RenderManifest, RenderSettings } from './types.js';

/** Options of `buildManifest`. */
export type BuildManifestOptions = {
  template: { id: string; version: string };
  /** Hash of the template's bundled code. */
  templateHash: string;
  rowKey: string;
  rowHash: string;
  variant: { name: string; width: number; height: number };
  fps: number;
  durationInFrames: number;
  /** B-roll slot → clip id. */
  clips: Readonly<Record<string, ClipId>>;
  rendererVersion: string;
  renderSettings: RenderSettings;
  outputName: string;
};

/**
 * The manifest of one video: template id, version and bundle hash, row key and hash, variant,
 * frame count, clip ids, renderer version, render settings, output name. The journal stores it
 * per finished video; `hashManifest` of it decides whether a later run can skip the video.
 *
 * @example
 * const manifest = buildManifest({ template, templateHash, rowKey: 'ada', rowHash, variant: { name: 'default', width: 1280, height: 720 },
 *   fps: 30, durationInFrames: 90, clips: {}, rendererVersion: '0.1.0', renderSettings: { crf: 20 }, outputName: 'ada.mp4' });
 * @see hashManifest
 */
export function buildManifest(options: BuildManifestOptions): RenderManifest {
  const clips: Record<string, string> = {};
  for (const slot of Object.keys(options.clips).sort()) clips[slot] = options.clips[slot] as string;
  return {
    kind: 'reelwright.manifest',
    version: 1,
    template: { id: options.template.id, version: options.template.version, bundleHash: options.templateHash },
    row: { key: options.rowKey, hash: options.rowHash },
    variant: { name: options.variant.name, width: options.variant.width, height: options.variant.height },
    fps: options.fps,
    durationInFrames: options.durationInFrames,
    clips,
    renderer: { version: options.rendererVersion },
    renderSettings: { ...options.renderSettings },
    outputName: options.outputName,
  };
}

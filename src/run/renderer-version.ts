import { readFileSync } from 'node:fs';
import { DEFAULT_CRF, DEFAULT_PRESET } from '../media/index.js';
import type { RenderSettings } from '../plan/index.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Part of every manifest: a new engine version re-renders everything it made. */
export const RENDERER_VERSION = `reelwright@${pkg.version}`;

/** The settings that change output bytes (frame reuse does not, so it is not here). */
export function renderSettingsOf(options: { jpegQuality: number }): RenderSettings {
  return { codec: 'libx264', pixelFormat: 'yuv420p', preset: DEFAULT_PRESET, crf: DEFAULT_CRF, jpegQuality: options.jpegQuality };
}

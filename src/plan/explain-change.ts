import type { OutputFileFacts, PreviousOutput, RenderManifest, RenderReason } from './types.js';

/** Options of `explainChange`. */
export type ExplainChangeOptions = {
  previous: PreviousOutput | null;
  /** The manifest this plan would produce. */
  manifest: RenderManifest;
  manifestHash: string;
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  return JSON.stringify(Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * Size only: a truncated or half-copied video differs in size. The mtime is journaled but not compared, because
 * copying or syncing an outputs folder without keeping timestamps would otherwise re-render every video.
 */
function fileChanged(recorded: OutputFileFacts | null | undefined, current: OutputFileFacts | null | undefined): boolean {
  if (!recorded || !current) return false;
  return recorded.bytes !== current.bytes;
}

/**
 * Why a job must render, or null when its previous output is up to date. With the previous
 * manifest at hand it names what changed, checked in this order: template (id, version, bundle
 * hash, renderer, settings, size, fps, frame count) → `template_changed`; row hash →
 * `row_changed`; clip ids → `clip_changed`; output name → `output_missing`. Without it, a
 * different hash reads as `row_changed`. A matching hash whose file is gone is `output_missing`; one whose file's
 * size differs from what was recorded when it was rendered is `output_changed` (no file facts on
 * either side: no check, as for renders journaled before the sizes were).
 */
export function explainChange(options: ExplainChangeOptions): RenderReason | null {
  const { previous, manifest } = options;
  if (previous === null) return 'new_row';
  if (previous.manifestHash === options.manifestHash) {
    if (!previous.outputExists) return 'output_missing';
    return fileChanged(previous.recordedFile, previous.currentFile) ? 'output_changed' : null;
  }
  const old = previous.manifest as Partial<RenderManifest> | null | undefined;
  if (old === null || typeof old !== 'object') return 'row_changed';
  if (
    !same(old.template, manifest.template) ||
    !same(old.renderer, manifest.renderer) ||
    sortedJson(old.renderSettings) !== sortedJson(manifest.renderSettings) ||
    !same(old.variant, manifest.variant) ||
    old.fps !== manifest.fps ||
    old.kind !== manifest.kind ||
    old.version !== manifest.version
  ) {
    return 'template_changed';
  }
  if (old.row?.hash !== manifest.row.hash) return 'row_changed';
  if (sortedJson(old.clips) !== sortedJson(manifest.clips)) return 'clip_changed';
  if (old.outputName !== manifest.outputName) return 'output_missing';
  // Same inputs and name but another hash: only the frame count can differ (a duration change in the template).
  return 'template_changed';
}

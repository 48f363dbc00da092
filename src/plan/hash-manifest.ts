import { createHash } from 'node:crypto';
import { toCanonicalJson } from './to-canonical-json.js';
import type { JsonValue } from './to-canonical-json.js';
import type { RenderManifest } from './types.js';

/**
 * sha256 (hex) of a manifest's canonical JSON (keys sorted at every depth): equal manifests hash
 * equal on any machine whatever their key order. Embed it in the MP4's metadata and the journal.
 *
 * @example
 * hashManifest(manifest); // '9f2c…' (64 hex digits)
 */
export function hashManifest(manifest: RenderManifest): string {
  return createHash('sha256').update(toCanonicalJson(manifest as unknown as JsonValue), 'utf8').digest('hex');
}

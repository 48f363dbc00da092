import { DEFAULT_MAX_OUTPUT_NAME_BYTES, OUTPUT_EXTENSION, sanitizeOutputName, truncateUtf8 } from './sanitize-output-name.js';

/** Options of `createOutputNamer`. */
export type CreateOutputNamerOptions = { maxBytes?: number };

/**
 * Returns a function that sanitizes each raw name and makes it unique within the batch,
 * case-insensitively (for macOS and Windows filesystems): the first `ada.mp4` keeps its name, the
 * next ones become `ada-2.mp4`, `ada-3.mp4`, … (the base is cut to keep the byte cap).
 * Deterministic: the same names in the same order give the same results.
 */
export function createOutputNamer(options: CreateOutputNamerOptions = {}): (raw: string) => string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_OUTPUT_NAME_BYTES;
  const taken = new Set<string>();
  return (raw: string): string => {
    const name = sanitizeOutputName({ name: raw, maxBytes });
    let candidate = name;
    let folded = name.toLowerCase();
    if (taken.has(folded)) {
      const base = name.slice(0, -OUTPUT_EXTENSION.length);
      for (let n = 2; taken.has(folded); n++) {
        const suffix = `-${n}${OUTPUT_EXTENSION}`;
        candidate = `${truncateUtf8(base, maxBytes - Buffer.byteLength(suffix)).replace(/[.\s]+$/, '')}${suffix}`;
        folded = candidate.toLowerCase();
      }
    }
    taken.add(folded);
    return candidate;
  };
}

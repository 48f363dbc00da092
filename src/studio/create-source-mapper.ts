import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceLocation } from './types.js';

/** Decoded source maps kept in memory (one per bundle; a studio session sees a few dozen at most). */
const MAX_CACHED_MAPS = 16;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((char, index) => [char, index]));

/** One mapping segment: generated column, source index, source line, source column (all 0-based). */
type Segment = [number, number, number, number];
type DecodedMap = { sources: string[]; lines: Segment[][] };

/** Decodes the `mappings` string of a v3 source map (Base64 VLQ, fields relative to the previous segment). */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const line of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const text of line.split(',')) {
      if (text === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of text) {
        const digit = BASE64_VALUE.get(char);
        if (digit === undefined) break;
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
          continue;
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      column += fields[0] ?? 0;
      if (fields.length < 4) continue;
      source += fields[1] as number;
      sourceLine += fields[2] as number;
      sourceColumn += fields[3] as number;
      segments.push([column, source, sourceLine, sourceColumn]);
    }
    lines.push(segments);
  }
  return lines;
}

/** Options of `SourceMapper.resolve`. */
export type ResolveSourcePositionsOptions = {
  /** A studio bundle folder (`<cacheDir>/bundles/<hash>/`) whose `bundle.js` carries an inline source map. */
  bundleDir: string;
  /** 1-based positions in `bundle.js`, as a stack trace gives them. */
  positions: readonly { line: number; column: number }[];
  /** Writes file paths relative to this folder when they are inside it. */
  relativeTo: string;
};

/** Maps positions in a studio bundle back to the template's sources. */
export interface SourceMapper {
  /** One location per position; null where the bundle has no mapping (React, the page host's glue). */
  resolve(options: ResolveSourcePositionsOptions): Promise<(SourceLocation | null)[]>;
}

/**
 * Creates the mapper behind `POST /api/source-locations`: a template's runtime error is reported by the browser at
 * `bundle.js:line:column`; the studio bundle's inline source map turns that into `templates/x/index.tsx:12:7`.
 * Decoded maps are cached per bundle folder.
 *
 * @example
 * const [where] = await createSourceMapper().resolve({ bundleDir, positions: [{ line: 812, column: 11 }], relativeTo: projectDir });
 */
export function createSourceMapper(): SourceMapper {
  const maps = new Map<string, Promise<DecodedMap | null>>();

  const load = (bundleDir: string): Promise<DecodedMap | null> => {
    let map = maps.get(bundleDir);
    if (!map) {
      map = (async () => {
        let code: string;
        try {
          code = await readFile(path.join(bundleDir, 'bundle.js'), 'utf8');
        } catch {
          return null;
        }
        const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
        if (!match) return null;
        const raw = JSON.parse(Buffer.from(match[1] as string, 'base64').toString('utf8')) as { sources?: string[]; mappings?: string };
        // esbuild writes sources relative to the output folder it was given: `<cacheDir>/bundles/out`.
        const outDir = path.join(path.dirname(bundleDir), 'out');
        return { sources: (raw.sources ?? []).map((source) => path.resolve(outDir, source)), lines: decodeMappings(raw.mappings ?? '') };
      })();
      maps.set(bundleDir, map);
      if (maps.size > MAX_CACHED_MAPS) maps.delete(maps.keys().next().value as string);
    }
    return map;
  };

  return {
    async resolve(options) {
      const map = await load(options.bundleDir);
      return options.positions.map(({ line, column }) => {
        const segments = map?.lines[line - 1];
        if (!map || !segments || segments.length === 0) return null;
        let found: Segment | null = null;
        for (const segment of segments) {
          if (segment[0] > column - 1) break;
          found = segment;
        }
        found ??= segments[0] as Segment;
        const source = map.sources[found[1]];
        if (source === undefined) return null;
        const relative = path.relative(options.relativeTo, source);
        const file = relative.startsWith('..') || path.isAbsolute(relative) ? source : relative.split(path.sep).join('/');
        return { file, line: found[2] + 1, column: found[3] + 1 };
      });
    },
  };
}

import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { ClipCacheMeta, ClipCacheWriter } from '../../src/clips/generate-clip.js';
import type { ClipId } from '../../src/clips/types.js';

/**
 * A folder-per-test clip cache for tests only: `<dir>/<clipId>.mp4`, metadata kept in memory.
 * The real content-addressed cache (journal engineer) implements the same `ClipCacheWriter` port.
 */
export class DirClipCache implements ClipCacheWriter {
  readonly puts: { clipId: ClipId; file: string; meta: ClipCacheMeta }[] = [];
  constructor(readonly dir: string) {}

  get(clipId: ClipId): string | null {
    const file = path.join(this.dir, `${clipId}.mp4`);
    return existsSync(file) ? file : null;
  }

  async put(clipId: ClipId, tmpFile: string, meta: ClipCacheMeta): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${clipId}.mp4`);
    const part = `${file}.part`;
    await copyFile(tmpFile, part);
    await rename(part, file);
    this.puts.push({ clipId, file, meta });
    return file;
  }
}

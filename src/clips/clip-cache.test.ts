import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, utimesSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSqlFiles } from '../journal/index.js';
import { openClipCache, parseAge, parseSize, ORPHAN_GRACE_MS } from './index.js';
import type { ClipId, PutClipMeta } from './index.js';

const id = (c: string) => c.repeat(32) as ClipId;
const meta: PutClipMeta = { provider: 'runway', model: 'gen4.5', prompt: 'a cat', taskId: 'task-1', costUsd: 0.6, costSource: 'provider credits', qa: { passed: true }, draft: false };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let dir: string;
let clock: number;
let n = 0;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rw-cache-'));
  clock = 1_000_000;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a temporary "clip" with the given bytes and returns its path. */
function tmpClip(content: string): string {
  const file = join(dir, `download-${n++}.mp4.tmp`);
  writeFileSync(file, content);
  return file;
}

describe('ClipCache', () => {
  it('stores a clip under its content hash with provenance and finds it again', async () => {
    await using cache = openClipCache({ stateDir: join(dir, 'state'), now: () => clock });
    const tmp = tmpClip('video bytes A');
    const entry = await cache.put(id('a'), tmp, meta);
    expect(entry.file).toBe(join(dir, 'state', 'clips', sha('video bytes A').slice(0, 2), `${sha('video bytes A')}.mp4`));
    expect(readFileSync(entry.file, 'utf8')).toBe('video bytes A');
    expect(existsSync(tmp)).toBe(false);
    expect(entry).toMatchObject({ fileHash: sha('video bytes A'), bytes: 13, provider: 'runway', model: 'gen4.5', prompt: 'a cat', taskId: 'task-1', costUsd: 0.6, qa: { passed: true }, pinned: false, draft: false, createdAt: clock });

    clock += 500;
    expect(cache.has(id('a'))).toBe(true);
    expect(cache.get(id('a'))).toMatchObject({ clipId: id('a'), lastUsedAt: clock, createdAt: clock - 500 });
    expect(cache.get(id('b'))).toBeNull();
    expect(cache.list().map((e) => e.clipId)).toEqual([id('a')]);
  });

  it('returns null and forgets a clip whose file was deleted behind its back', async () => {
    await using cache = openClipCache({ stateDir: dir });
    const entry = await cache.put(id('a'), tmpClip('x'), meta);
    rmSync(entry.file);
    expect(cache.get(id('a'))).toBeNull();
    expect(cache.has(id('a'))).toBe(false);
  });

  it('keeps one file for two clip ids with identical bytes and deletes it only when both are gone', async () => {
    await using cache = openClipCache({ stateDir: dir, now: () => clock });
    const a = await cache.put(id('a'), tmpClip('same'), meta);
    const b = await cache.put(id('b'), tmpClip('same'), { ...meta, taskId: 'task-2' });
    expect(b.file).toBe(a.file);
    clock += 10;
    cache.get(id('b'));
    const first = await cache.prune({ maxBytes: 0, protect: new Set([id('b')]) });
    expect(first.removed.map((e) => e.clipId)).toEqual([id('a')]);
    expect(first.freedBytes).toBe(0);
    expect(existsSync(a.file)).toBe(true);
    const second = await cache.prune({ maxBytes: 0, protect: new Set() });
    expect(second.removed.map((e) => e.clipId)).toEqual([id('b')]);
    expect(second.freedBytes).toBe(4);
    expect(existsSync(a.file)).toBe(false);
  });

  it('prunes by age and by size but never removes pinned or protected clips', async () => {
    await using cache = openClipCache({ stateDir: dir, now: () => clock });
    for (const c of ['a', 'b', 'c', 'd', 'e']) {
      await cache.put(id(c), tmpClip(`clip ${c} `.repeat(10)), meta); // 70 bytes each
      clock += 1000;
    }
    cache.pin(id('a'));
    const protect = new Set([id('b')]);

    const dry = await cache.prune({ olderThanMs: 0, protect, dryRun: true });
    expect(dry.removed.map((e) => e.clipId)).toEqual([id('c'), id('d'), id('e')]);
    expect(cache.list()).toHaveLength(5);

    // Age: c was used 3 s ago, d 2 s ago, e 1 s ago; a (pinned) and b (protected) are older still.
    const byAge = await cache.prune({ olderThanMs: 2500, protect });
    expect(byAge.removed.map((e) => e.clipId)).toEqual([id('c')]);
    // Size: d and e go, least recently used first; a and b alone exceed 100 bytes.
    const bySize = await cache.prune({ maxBytes: 100, protect });
    expect(bySize.removed.map((e) => e.clipId)).toEqual([id('d'), id('e')]);
    expect(bySize).toMatchObject({ freedBytes: 140, remainingBytes: 140, overLimit: true });
    expect(cache.list().map((e) => [e.clipId, e.pinned])).toEqual([
      [id('a'), true],
      [id('b'), false],
    ]);
    for (const e of cache.list()) expect(existsSync(e.file)).toBe(true);

    cache.unpin(id('a'));
    const after = await cache.prune({ maxBytes: 0, protect: new Set() });
    expect(after.removed.map((e) => e.clipId)).toEqual([id('a'), id('b')]);
    expect(() => cache.pin(id('z'))).toThrow(expect.objectContaining({ code: 'RW_CACHE_UNKNOWN_CLIP', message: expect.stringMatching(/cache ls/) }));
  });

  it('detects a corrupted file on verify, quarantines it and drops its entry', async () => {
    await using cache = openClipCache({ stateDir: dir, now: () => clock });
    const good = await cache.put(id('a'), tmpClip('good clip'), meta);
    const bad = await cache.put(id('b'), tmpClip('soon corrupted'), meta);
    const gone = await cache.put(id('c'), tmpClip('soon missing'), meta);
    writeFileSync(bad.file, 'SOON CORRUPTED'); // same size, different bytes: only a re-hash sees it
    rmSync(gone.file);

    const result = await cache.verify();
    expect(result.checked).toBe(2);
    expect(result.ok).toBe(1);
    expect(result.missing.map((e) => e.clipId)).toEqual([id('c')]);
    expect(result.corrupt).toEqual([
      { clipIds: [id('b')], expectedHash: bad.fileHash, actualHash: sha('SOON CORRUPTED'), quarantinedTo: join(dir, 'clips', 'quarantine', `${bad.fileHash}-${clock}.mp4`) },
    ]);
    expect(readFileSync(result.corrupt[0]!.quarantinedTo, 'utf8')).toBe('SOON CORRUPTED');
    expect(existsSync(bad.file)).toBe(false);
    expect(cache.list().map((e) => e.clipId)).toEqual([id('a')]);
    expect(cache.get(id('a'))?.file).toBe(good.file);
    expect((await cache.verify()).corrupt).toEqual([]);
  });

  it('quarantines a file whose size no longer matches when it is fetched', async () => {
    await using cache = openClipCache({ stateDir: dir });
    const entry = await cache.put(id('a'), tmpClip('full clip'), meta);
    writeFileSync(entry.file, 'trunc');
    expect(cache.get(id('a'))).toBeNull();
    expect(existsSync(join(dir, 'clips', 'quarantine'))).toBe(true);
  });

  it('reports stray files on verify and deletes old ones on prune', async () => {
    await using cache = openClipCache({ stateDir: dir, now: () => clock });
    const hash = sha('stray');
    const stray = join(dir, 'clips', hash.slice(0, 2), `${hash}.mp4`);
    mkdirSync(join(dir, 'clips', hash.slice(0, 2)), { recursive: true });
    writeFileSync(stray, 'stray');
    expect((await cache.verify()).orphans).toEqual([stray]);
    clock = Date.now();
    expect((await cache.prune({ protect: new Set() })).orphansRemoved).toEqual([]);
    const old = new Date(clock - ORPHAN_GRACE_MS - 1000);
    utimesSync(stray, old, old);
    expect((await cache.prune({ protect: new Set() })).orphansRemoved).toEqual([stray]);
    expect(existsSync(stray)).toBe(false);
  });

  it('refuses an empty or missing temporary file', async () => {
    await using cache = openClipCache({ stateDir: dir });
    await expect(cache.put(id('a'), tmpClip(''), meta)).rejects.toMatchObject({ code: 'RW_CACHE_BAD_FILE' });
    await expect(cache.put(id('a'), join(dir, 'nope.mp4'), meta)).rejects.toMatchObject({ code: 'RW_CACHE_BAD_FILE', message: expect.stringMatching(/nope\.mp4/) });
  });
});

describe('the cache index SQL', () => {
  it('declares in every SQL file header exactly the parameters its statement uses', () => {
    const files = loadSqlFiles({ dir: fileURLToPath(new URL('./cache/sql/', import.meta.url)) });
    expect(files.size).toBeGreaterThan(5);
    for (const file of files.values()) {
      expect({ file: file.name, params: [...file.declaredParams].sort() }).toEqual({ file: file.name, params: file.usedParams });
      expect(file.statements, file.name).toHaveLength(1);
    }
  });
});

describe('parseSize and parseAge', () => {
  it('reads decimal and binary sizes and bare bytes', () => {
    expect(parseSize('10GB')).toBe(10_000_000_000);
    expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('500mb')).toBe(500_000_000);
    expect(parseSize('2048')).toBe(2048);
  });

  it('rejects an unknown size unit and says what is allowed', () => {
    expect(() => parseSize('10 bananas')).toThrow(expect.objectContaining({ code: 'RW_CONFIG_BAD_SIZE', message: expect.stringMatching(/10GB/) }));
    expect(() => parseSize('-1GB')).toThrow(expect.objectContaining({ code: 'RW_CONFIG_BAD_SIZE' }));
  });

  it('reads ages in days, hours, weeks and minutes', () => {
    expect(parseAge('30d')).toBe(30 * 86_400_000);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('2w')).toBe(14 * 86_400_000);
    expect(parseAge('90m')).toBe(90 * 60_000);
  });

  it('rejects an age without a unit', () => {
    expect(() => parseAge('30')).toThrow(expect.objectContaining({ code: 'RW_CONFIG_BAD_AGE', message: expect.stringMatching(/30d/) }));
  });
});

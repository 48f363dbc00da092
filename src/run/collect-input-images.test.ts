import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipRequest } from '../clips/index.js';
import { RUNWAY_DATA_URI_MAX_BYTES } from '../clips/index.js';
import type { DatasetRow } from '../dataset/index.js';
import { defineTemplate } from '../template/index.js';
import { collectInputImages, FIRST_FRAME_PROBLEM_CODE } from './collect-input-images.js';
import { InputImageStore } from './input-image-store.js';
import { makeClipRequest } from '../clips/fixtures/make-clip-request.js';

/** A 1×1 PNG (valid signature and chunks). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const OTHER_PNG = Buffer.concat([PNG, Buffer.from('trailing bytes make other content')]);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const template = defineTemplate({
  id: 'photo',
  version: '1',
  fps: 10,
  width: 64,
  height: 36,
  duration: 1,
  slots: {
    name: { kind: 'text' },
    photo: { kind: 'image', optional: true },
    scene: { kind: 'broll', prompt: 'Slow push-in', seconds: 5, provider: 'runway', model: 'gen4_turbo', firstFrame: 'photo' },
  },
  component: () => null,
});

const row = (index: number, values: Record<string, string>): DatasetRow => ({ index, line: index + 2, key: values['name'] ?? String(index), hash: `h${index}`, values });

const request = (over: Partial<ClipRequest>): ClipRequest => makeClipRequest({ model: 'gen4_turbo', prompt: 'Slow push-in', ...over });

describe('collectInputImages', () => {
  let dir: string;
  let server: Server;
  let origin: string;
  let served = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-first-frames-'));
    await writeFile(path.join(dir, 'ada.png'), PNG);
    await writeFile(path.join(dir, 'ada-copy.png'), PNG);
    await writeFile(path.join(dir, 'bo.png'), OTHER_PNG);
    await writeFile(path.join(dir, 'notes.png'), 'not an image at all');
    await writeFile(path.join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    server = createServer((req, res) => {
      served++;
      if (req.url === '/photo.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(PNG.length) });
        res.end(PNG);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  const collect = (rows: DatasetRow[], over: { allowPrivateMedia?: boolean } = {}) =>
    collectInputImages({
      template,
      rows,
      datasetLabel: 'people.csv',
      columnOf: (slot) => (slot === 'photo' ? 'Photo' : null),
      mediaDir: path.join(dir, 'media'),
      allowPrivateMedia: over.allowPrivateMedia ?? false,
      signal: null,
    });

  it('hashes each row’s image file (sha256 of its bytes); the same bytes under two names are one image; an empty cell gives no entry', async () => {
    const { store, index } = await collect([
      row(0, { name: 'ada', photo: path.join(dir, 'ada.png') }),
      row(1, { name: 'bo', photo: path.join(dir, 'bo.png') }),
      row(2, { name: 'cy', photo: path.join(dir, 'ada-copy.png') }),
      row(3, { name: 'dee' }),
    ]);
    expect(index.get(0, 'scene')).toEqual({ ok: true, hash: sha(PNG) });
    expect(index.get(1, 'scene')).toEqual({ ok: true, hash: sha(OTHER_PNG) });
    expect(index.get(2, 'scene')).toEqual({ ok: true, hash: sha(PNG) });
    expect(index.get(3, 'scene')).toBeNull();
    expect(store.size).toBe(2);
    expect(store.get(sha(PNG))).toEqual({ hash: sha(PNG), file: path.join(dir, 'ada.png'), bytes: PNG.length, mediaType: 'image/png', httpsUrl: null });
  });

  it('makes a gone or non-image file that row’s problem, naming file, line, column and what to do', async () => {
    const gone = path.join(dir, 'gone.png');
    const { index } = await collect([row(0, { name: 'ada', photo: gone }), row(1, { name: 'bo', photo: path.join(dir, 'notes.png') })]);
    expect(index.get(0, 'scene')).toEqual({
      ok: false,
      code: FIRST_FRAME_PROBLEM_CODE,
      message: `people.csv line 2, column "Photo": the first frame of B-roll slot "scene" (image slot "photo") cannot be used: cannot read the image file ${gone} (ENOENT). Check the file name and that the file is still in the assets folder (the dataset's folder, or --assets-dir).`,
    });
    expect(index.get(1, 'scene')).toMatchObject({ ok: false, message: expect.stringContaining('is not a PNG, JPEG, WebP or GIF image (judged by its first bytes). Save the first frame as PNG or JPEG.') });
  });

  it('refuses an SVG first frame (an image the renderer shows, but not one a provider takes)', async () => {
    const svg = path.join(dir, 'logo.svg');
    const { index } = await collect([row(0, { name: 'ada', photo: svg })]);
    expect(index.get(0, 'scene')).toMatchObject({ ok: false, message: expect.stringContaining(`${svg} is an SVG image, not a PNG, JPEG, WebP or GIF image (judged by its first bytes).`) });
  });

  it('fetches a remote image once with the render stage’s rules and hashes the downloaded bytes; a refused or failed download is the row’s problem', async () => {
    const url = `${origin}/photo.png`;
    const refused = await collect([row(0, { name: 'ada', photo: url })]);
    expect(refused.index.get(0, 'scene')).toMatchObject({ ok: false, message: expect.stringMatching(/private and loopback addresses are not fetched.*Check the URL/) });
    expect(served).toBe(0);

    const { store, index } = await collect([row(0, { name: 'ada', photo: url }), row(1, { name: 'bo', photo: url }), row(2, { name: 'cy', photo: `${origin}/gone.png` })], { allowPrivateMedia: true });
    expect(index.get(0, 'scene')).toEqual({ ok: true, hash: sha(PNG) });
    expect(index.get(1, 'scene')).toEqual({ ok: true, hash: sha(PNG) });
    expect(index.get(2, 'scene')).toMatchObject({ ok: false, message: expect.stringContaining('HTTP 404') });
    expect(served).toBe(2);
    // An http:// URL is not one Luma may fetch: only https:// URLs are kept for it.
    expect(store.get(sha(PNG))?.httpsUrl).toBeNull();
  });
});

describe('InputImageStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-image-store-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives Runway a data URI of the exact bytes and Luma the row’s https URL', async () => {
    const file = path.join(dir, 'ada.png');
    await writeFile(file, PNG);
    const store = new InputImageStore();
    store.add({ hash: sha(PNG), file, bytes: PNG.length, mediaType: 'image/png', httpsUrl: null });
    expect(await store.resolverFor('runway')!(sha(PNG), null)).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(() => store.check(request({ inputImageHash: sha(PNG) }))).not.toThrow();
    // The same bytes seen later at an https address: Luma may now fetch them from there.
    store.add({ hash: sha(PNG), file: path.join(dir, 'elsewhere.png'), bytes: PNG.length, mediaType: 'image/png', httpsUrl: 'https://cdn.example/ada.png' });
    expect(await store.resolverFor('luma')!(sha(PNG), null)).toBe('https://cdn.example/ada.png');
    expect(store.get(sha(PNG))?.file).toBe(file);
    expect(store.resolverFor('local')).toBeNull();
  });

  it('refuses a local image for Luma, and for Runway an image over the data-URI limit or of a type it does not take', () => {
    const store = new InputImageStore();
    store.add({ hash: 'a'.repeat(64), file: '/data/ada.png', bytes: 1000, mediaType: 'image/png', httpsUrl: null });
    store.add({ hash: 'b'.repeat(64), file: '/data/huge.jpg', bytes: Math.ceil((RUNWAY_DATA_URI_MAX_BYTES * 3) / 4), mediaType: 'image/jpeg', httpsUrl: null });
    store.add({ hash: 'c'.repeat(64), file: '/data/anim.gif', bytes: 1000, mediaType: 'image/gif', httpsUrl: null });
    expect(() => store.check(request({ provider: 'luma', model: 'ray-2', inputImageHash: 'a'.repeat(64) }))).toThrow(
      /^Luma first frame: Luma image→video needs an https:\/\/ image URL \(Luma downloads the first frame itself\), but this row's image is a local file \(\/data\/ada\.png\)/,
    );
    expect(() => store.check(request({ inputImageHash: 'b'.repeat(64) }))).toThrow(/\/data\/huge\.jpg is 3\.8 MB \(5\.0 MB as a data URI\); Runway takes at most 5\.0 MB inline/);
    expect(() => store.check(request({ inputImageHash: 'c'.repeat(64) }))).toThrow(/Runway takes a PNG, JPEG or WebP image; \/data\/anim\.gif is image\/gif/);
    // The local provider ignores the image; a text→video request has none.
    expect(() => store.check(request({ provider: 'local', model: 'placeholder-v1', inputImageHash: 'a'.repeat(64) }))).not.toThrow();
    expect(() => store.check(request({ provider: 'luma', inputImageHash: null }))).not.toThrow();
  });

  it('refuses to send bytes that changed since the batch was planned', async () => {
    const file = path.join(dir, 'edited.png');
    await writeFile(file, PNG);
    const store = new InputImageStore();
    store.add({ hash: sha(PNG), file, bytes: PNG.length, mediaType: 'image/png', httpsUrl: null });
    await writeFile(file, OTHER_PNG);
    await expect(store.resolverFor('runway')!(sha(PNG), null)).rejects.toMatchObject({ code: 'RW_CLIP_INVALID_REQUEST', message: expect.stringContaining('changed since the batch was planned') });
  });
});

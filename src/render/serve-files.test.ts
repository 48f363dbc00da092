import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles } from './index.js';
import type { FileServer } from './index.js';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** Sends the path verbatim (fetch would normalise `/../` away before it reaches the server). */
function rawGet(origin: string, rawPath: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveFiles', () => {
  let dir: string;
  let server: FileServer;
  let base: string;
  const video = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-serve-'));
    await mkdir(path.join(dir, 'public', 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'public', 'index.html'), '<p>hi</p>');
    await writeFile(path.join(dir, 'public', 'sub', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'public', 'clip.mp4'), video);
    await writeFile(path.join(dir, 'public', 'font.woff2'), 'x');
    await writeFile(path.join(dir, 'secret.txt'), 'top secret');
    await symlink(path.join(dir, 'secret.txt'), path.join(dir, 'public', 'escape.txt'));
    await symlink(path.join(dir, 'public', 'index.html'), path.join(dir, 'public', 'inside-link.html'));
    server = await serveFiles();
    base = new URL(server.mount('assets/v1', path.join(dir, 'public'))).pathname;
  });

  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback with an OS-assigned port and serves mounted files with their content type', async () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const html = await rawGet(server.origin, `${base}index.html`);
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body.toString()).toBe('<p>hi</p>');
    const js = await rawGet(server.origin, `${base}sub/app.js`);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawGet(server.origin, `${base}font.woff2`)).headers['content-type']).toBe('font/woff2');
    expect((await rawGet(server.origin, `${base}clip.mp4`)).headers['content-type']).toBe('video/mp4');
  });

  it('serves byte ranges of a video with 206 and refuses unsatisfiable ranges with 416', async () => {
    const part = await rawGet(server.origin, `${base}clip.mp4`, { range: 'bytes=10-19' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 10-19/1000');
    expect(part.body).toEqual(video.subarray(10, 20));
    const tail = await rawGet(server.origin, `${base}clip.mp4`, { range: 'bytes=-5' });
    expect(tail.body).toEqual(video.subarray(995));
    const open = await rawGet(server.origin, `${base}clip.mp4`, { range: 'bytes=990-' });
    expect(open.body).toEqual(video.subarray(990));
    expect((await rawGet(server.origin, `${base}clip.mp4`, { range: 'bytes=5000-' })).status).toBe(416);
  });

  it('refuses traversal with dot segments, encoded dots and backslashes', async () => {
    for (const attempt of [
      `${base}../secret.txt`,
      `${base}sub/../../secret.txt`,
      `${base}%2e%2e/secret.txt`,
      `${base}%2E%2E%2Fsecret.txt`,
      `${base}..%2fsecret.txt`,
      `${base}..%5csecret.txt`,
      `${base}%00index.html`,
      `/assets/../../../../etc/passwd`,
    ]) {
      const response = await rawGet(server.origin, attempt);
      expect([403, 404], attempt).toContain(response.status);
      expect(response.body.toString()).not.toContain('top secret');
    }
  });

  it('refuses a symlink that escapes the root but follows one that stays inside', async () => {
    expect((await rawGet(server.origin, `${base}escape.txt`)).status).toBe(404);
    expect((await rawGet(server.origin, `${base}inside-link.html`)).body.toString()).toBe('<p>hi</p>');
  });

  it('serves nothing outside a mount and no directory listings', async () => {
    expect((await rawGet(server.origin, '/secret.txt')).status).toBe(404);
    expect((await rawGet(server.origin, '/assets/index.html')).status).toBe(404);
    expect((await rawGet(server.origin, base)).status).toBe(404);
    expect((await rawGet(server.origin, `${base}sub`)).status).toBe(404);
  });

  it('serves a single mounted file and only that file', async () => {
    const url = server.mountFile(path.join(dir, 'secret.txt'));
    expect(url.startsWith(server.origin)).toBe(true);
    const response = await rawGet(server.origin, new URL(url).pathname);
    expect(response.body.toString()).toBe('top secret');
    const sibling = new URL('index.html', url).pathname;
    expect((await rawGet(server.origin, sibling)).status).toBe(404);
    expect(server.mountFile(path.join(dir, 'secret.txt'))).toBe(url);
  });

  it('rejects a mount prefix with dot segments or a prefix reused for another folder', () => {
    expect(() => server.mount('../x', dir)).toThrow(expect.objectContaining({ code: 'RW_INVALID_OPTION' }));
    expect(() => server.mount('assets/v1', dir)).toThrow(/already serves/);
    expect(server.mount('assets/v1', path.join(dir, 'public'))).toBe(`${server.origin}${base}`);
  });

  it('maps a URL back to the file it serves, with the same confinement, and names a missing file', async () => {
    const { realpath } = await import('node:fs/promises');
    const real = await realpath(path.join(dir, 'public'));
    expect(await server.resolveUrl(`${server.origin}${base}sub/app.js`)).toEqual({ path: path.join(real, 'sub', 'app.js'), exists: true });
    expect(await server.resolveUrl(`${server.origin}${base}music.m4a`)).toEqual({ path: path.join(dir, 'public', 'music.m4a'), exists: false });
    const single = path.join(dir, 'secret.txt');
    expect(await server.resolveUrl(server.mountFile(single))).toEqual({ path: await realpath(single), exists: true });
    for (const outside of [
      `${server.origin}${base}escape.txt`,
      `${server.origin}${base}%2e%2e/secret.txt`,
      `${server.origin}/secret.txt`,
      `http://127.0.0.1:1${base}index.html`,
      'https://example.com/music.mp3',
      'not a url',
    ]) {
      expect(await server.resolveUrl(outside), outside).toEqual({ path: null, exists: false });
    }
  });

  it('answers only GET and HEAD', async () => {
    const url = new URL(server.origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: `${base}index.html`, method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});

import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRemoteMedia } from './fetch-remote-media.js';

let server: http.Server;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rw-fetch-'));
  server = http.createServer((req, res) => {
    if (req.url === '/logo.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.from('fake-png-bytes'));
    } else if (req.url === '/huge.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(4096));
    } else if (req.url === '/hang.png') {
      res.writeHead(200);
      res.write('x'); // never ends
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('fetchRemoteMedia', () => {
  it('refuses loopback and private addresses unless allowed', async () => {
    await expect(fetchRemoteMedia({ url: `${base}/logo.png`, cacheDir: dir })).rejects.toMatchObject({
      code: 'RW_REMOTE_MEDIA',
      message: expect.stringMatching(/private and loopback/),
    });
  });

  it('downloads into the cache folder when private addresses are allowed', async () => {
    const file = await fetchRemoteMedia({ url: `${base}/logo.png`, cacheDir: dir, allowPrivateAddresses: true });
    expect(path.dirname(file)).toBe(dir);
    expect(await readFile(file, 'utf8')).toBe('fake-png-bytes');
  });

  it('refuses file: and other schemes', async () => {
    await expect(fetchRemoteMedia({ url: 'file:///etc/passwd', cacheDir: dir })).rejects.toThrow(/scheme "file:" is not allowed/);
    await expect(fetchRemoteMedia({ url: 'ftp://example.com/a.png', cacheDir: dir })).rejects.toThrow(/not allowed/);
  });

  it('stops at the size limit and leaves no partial file', async () => {
    await expect(fetchRemoteMedia({ url: `${base}/huge.png`, cacheDir: dir, allowPrivateAddresses: true, maxBytes: 1000 })).rejects.toThrow(/1000-byte limit/);
    const leftovers = (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('gives up on a server that never finishes', async () => {
    await expect(fetchRemoteMedia({ url: `${base}/hang.png`, cacheDir: dir, allowPrivateAddresses: true, timeoutMs: 300 })).rejects.toThrow(/within 300 ms|Could not fetch/);
  });

  it('reports HTTP errors with the status', async () => {
    await expect(fetchRemoteMedia({ url: `${base}/missing.png`, cacheDir: dir, allowPrivateAddresses: true })).rejects.toThrow(/HTTP 404/);
  });
});

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadClip } from './index.js';

let dir: string;
let server: Server;
let origin: string;
const sockets = new Set<Socket>();
const payload = Buffer.alloc(64 * 1024, 7);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rw-download-'));
  server = createServer((req, res) => {
    switch (req.url?.split('?')[0]) {
      case '/clip.mp4':
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': payload.length });
        res.end(payload);
        return;
      case '/chunked.mp4':
        // No content-length: the limit must be enforced while streaming.
        res.writeHead(200, { 'content-type': 'video/mp4' });
        res.write(payload);
        res.end(payload);
        return;
      case '/declared-huge.mp4':
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 10 * 1024 * 1024 * 1024 });
        res.write(payload);
        return;
      case '/expired.mp4':
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<Error><Code>AccessDenied</Code></Error>');
        return;
      case '/broken.mp4':
        res.writeHead(502);
        res.end('bad gateway');
        return;
      case '/hang.mp4':
        return; // never answers
      default:
        res.writeHead(404);
        res.end();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const leftovers = () => readdirSync(dir).filter((f) => f.includes('.part'));

describe('downloadClip', () => {
  it('streams an http output to disk under its final name', async () => {
    const outFile = path.join(dir, 'ok', 'clip.mp4');
    await expect(downloadClip({ url: `${origin}/clip.mp4?X-Signature=abc`, outFile })).resolves.toEqual({ file: outFile, bytes: payload.length });
    expect(readFileSync(outFile).equals(payload)).toBe(true);
  });

  it('stops at the size limit while streaming and leaves no partial file', async () => {
    const outFile = path.join(dir, 'chunked.mp4');
    await expect(downloadClip({ url: `${origin}/chunked.mp4`, outFile, maxBytes: payload.length + 10 })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_TOO_LARGE', retryable: false });
    expect(existsSync(outFile)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('refuses a declared size over the limit before reading the body', async () => {
    await expect(downloadClip({ url: `${origin}/declared-huge.mp4`, outFile: path.join(dir, 'huge.mp4') })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_TOO_LARGE' });
  });

  it('calls a 403 an expired URL, and hides the signed query string', async () => {
    const error = (await downloadClip({ url: `${origin}/expired.mp4?token=SECRET-TOKEN`, outFile: path.join(dir, 'x.mp4') }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'RW_CLIP_DOWNLOAD_EXPIRED', status: 403, retryable: false });
    expect(error.message).not.toContain('SECRET-TOKEN');
  });

  it('calls a 5xx a retryable failure', async () => {
    await expect(downloadClip({ url: `${origin}/broken.mp4`, outFile: path.join(dir, 'y.mp4') })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_FAILED', status: 502, retryable: true });
  });

  it('gives up on a server that never answers after the timeout', async () => {
    await expect(downloadClip({ url: `${origin}/hang.mp4`, outFile: path.join(dir, 'z.mp4'), timeoutMs: 200 })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_TIMEOUT', retryable: true });
  });

  it('stops with RW_CANCELLED when the signal fires', async () => {
    const controller = new AbortController();
    const pending = downloadClip({ url: `${origin}/hang.mp4`, outFile: path.join(dir, 'c.mp4'), signal: controller.signal });
    controller.abort(new Error('Ctrl-C'));
    await expect(pending).rejects.toMatchObject({ code: 'RW_CANCELLED' });
  });

  it('copies a file: URL only when allowed (the local provider)', async () => {
    const source = path.join(dir, 'local-source.mp4');
    writeFileSync(source, payload);
    const url = pathToFileURL(source).href;
    await expect(downloadClip({ url, outFile: path.join(dir, 'l1.mp4') })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_REFUSED' });
    await expect(downloadClip({ url, outFile: path.join(dir, 'l2.mp4'), allowFileUrls: true })).resolves.toMatchObject({ bytes: payload.length });
  });

  it('refuses other schemes', async () => {
    await expect(downloadClip({ url: 'ftp://example.com/clip.mp4', outFile: path.join(dir, 'f.mp4') })).rejects.toMatchObject({ code: 'RW_CLIP_DOWNLOAD_REFUSED' });
  });
});

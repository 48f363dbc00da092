import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeTestClip } from '../../src/media/index.js';
import type { TestClipKind } from '../../src/media/index.js';

/** One request a mock server received, for assertions (`requests.filter(...)`). */
export type RecordedRequest = {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or null. */
  body: unknown;
  /** Status sent, or null while unanswered (a hanging request stays null). */
  status: number | null;
};

/** The plumbing both provider mocks share. */
export type MockHttp = {
  server: Server;
  origin: string;
  requests: RecordedRequest[];
  /** Folder for generated clips; removed on close. */
  dir: string;
  close(): Promise<void>;
};

/** A request handler; return after answering (or never answer, for a hanging connection). */
export type MockHandler = (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => Promise<void> | void;

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Starts a `node:http` server on 127.0.0.1, port 0, that records every request before handing it on. */
export async function startMockHttp(handler: MockHandler): Promise<MockHttp> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const dir = await mkdtemp(path.join(tmpdir(), 'rw-provider-mock-'));
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: await readBody(req),
        status: null,
      };
      requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      try {
        await handler(req, res, record);
      } catch (error) {
        if (!res.headersSent) sendJson(res, 500, { error: `mock crashed: ${(error as Error).message}` });
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    requests,
    dir,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Streams a file as `video/mp4`. */
export async function sendVideo(res: ServerResponse, file: string): Promise<void> {
  const info = await stat(file);
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': info.size });
  createReadStream(file).pipe(res);
}

/** What the mock's output video shows; see `makeTestClip`. */
export type MockVideoKind = TestClipKind;

/** Makes (once per size and kind) the small real MP4 a mock serves as a task's output. */
export function createClipMaker(dir: string): (spec: { kind: MockVideoKind; width: number; height: number; seconds: number }) => Promise<string> {
  const made = new Map<string, Promise<string>>();
  return (spec) => {
    const key = `${spec.kind}-${spec.width}x${spec.height}-${spec.seconds}s`;
    let file = made.get(key);
    if (!file) {
      const outFile = path.join(dir, `${key}.mp4`);
      // 24 fps like real provider output, so normalization to 30 fps is exercised.
      file = makeTestClip({ outFile, kind: spec.kind, width: spec.width, height: spec.height, seconds: spec.seconds, fps: 24 }).then(() => outFile);
      made.set(key, file);
    }
    return file;
  };
}

/** A small even frame size with the given aspect (`1280:720` → 256×144). */
export function smallSizeFor(widthRatio: number, heightRatio: number, longSide = 256): { width: number; height: number } {
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return widthRatio >= heightRatio
    ? { width: longSide, height: even((longSide * heightRatio) / widthRatio) }
    : { width: even((longSide * widthRatio) / heightRatio), height: longSide };
}

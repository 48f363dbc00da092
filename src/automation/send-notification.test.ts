import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/index.js';
import { SAMPLE_SUMMARY } from './fixtures/sample-summary.js';
import { sendNotification, signNotification, verifyNotificationSignature } from './index.js';

const summary: RunSummary = {
  ...SAMPLE_SUMMARY,
  runId: '7f3a09c2d1e84b6f',
  spendUsd: { generation: 1.25, compute: 0.02, total: 1.27, unknown: 0 },
  reports: { csv: 'outputs/report.csv', json: 'outputs/report.json', html: 'outputs/report.html' },
};

type Received = { method: string; headers: IncomingHttpHeaders; body: Buffer };
type Reply = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP server on 127.0.0.1:<os port> that answers with `replies` in order (the last one repeats). */
async function startReceiver(replies: Reply[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      const reply = replies[Math.min(received.length, replies.length) - 1] ?? { status: 200 };
      if (reply === 'hang') return;
      response.writeHead(reply.status, reply.headers ?? {});
      response.end('ok', () => server.emit('replied'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/reelwright`, received, server };
}

describe('sendNotification', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('POSTs the JSON summary with a signature that verifyNotificationSignature accepts', async () => {
    const receiver = await startReceiver([{ status: 204 }]);
    servers.push(receiver.server);
    const result = await sendNotification({ url: receiver.url, summary, secret: 'hunter2' });
    expect(result).toMatchObject({ ok: true, attempts: 1, status: 204, error: null });
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^reelwright\/\d+\.\d+\.\d+/);
    expect(request?.headers['x-reelwright-delivery']).toBe(result.deliveryId);
    expect(JSON.parse(request?.body.toString() ?? '')).toEqual(summary);
    const timestamp = request?.headers['x-reelwright-timestamp'] as string;
    const signature = request?.headers['x-reelwright-signature'] as string;
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(timestamp) * 1000 - Date.now())).toBeLessThan(60_000);
    const body = request?.body ?? Buffer.alloc(0);
    expect(verifyNotificationSignature({ body, timestamp, signature, secret: 'hunter2' })).toEqual({ valid: true });
    expect(verifyNotificationSignature({ body, timestamp, signature, secret: 'wrong' })).toEqual({ valid: false, reason: 'mismatch' });
    const tampered = Buffer.from(body.toString().replace('"rendered":10', '"rendered":11'));
    expect(verifyNotificationSignature({ body: tampered, timestamp, signature, secret: 'hunter2' })).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifyNotificationSignature({ body, timestamp, signature, secret: 'hunter2', now: Date.now() + 10 * 60_000 })).toEqual({ valid: false, reason: 'stale' });
    expect(verifyNotificationSignature({ body, timestamp: undefined, signature, secret: 'hunter2' })).toEqual({ valid: false, reason: 'missing' });
    expect(verifyNotificationSignature({ body, timestamp, signature: 'sha1=abc', secret: 'hunter2' })).toEqual({ valid: false, reason: 'malformed' });
  });

  it('signs "<timestamp>.<body>" with HMAC-SHA256 (a fixed vector receivers can check against)', () => {
    // Computed independently: printf '1767225600.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    expect(signNotification({ body: '{"a":1}', timestamp: '1767225600', secret: 's3cret' })).toBe(
      'sha256=7d4120fcebf444efab10ba7cd6c651bf463cefb039db5fad37ff9f7231ac8a4a',
    );
  });

  it('retries a server that answers 500 twice and gets through on the third attempt, re-signing each time', async () => {
    const receiver = await startReceiver([{ status: 500 }, { status: 503 }, { status: 200 }]);
    servers.push(receiver.server);
    const result = await sendNotification({ url: receiver.url, summary, secret: 'hunter2', attempts: 4, baseDelayMs: 10 });
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 200, error: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['x-reelwright-delivery']))).toEqual(new Set([result.deliveryId]));
    for (const request of receiver.received) {
      const verdict = verifyNotificationSignature({
        body: request.body,
        timestamp: request.headers['x-reelwright-timestamp'] as string,
        signature: request.headers['x-reelwright-signature'] as string,
        secret: 'hunter2',
      });
      expect(verdict).toEqual({ valid: true });
    }
  });

  it('does not retry a 4xx answer and says what the status was', async () => {
    const receiver = await startReceiver([{ status: 401 }]);
    servers.push(receiver.server);
    const result = await sendNotification({ url: receiver.url, summary, secret: 'hunter2', attempts: 4, baseDelayMs: 10 });
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 401, error: { code: 'RW_NOTIFY_HTTP_STATUS', message: expect.stringMatching(/401.*secret/) } });
    expect(result.error?.message).not.toContain('/hooks/reelwright');
  });

  it('returns ok: false without throwing, in bounded time, when nothing listens on the port', async () => {
    const receiver = await startReceiver([{ status: 200 }]);
    const url = receiver.url;
    await new Promise((resolve) => receiver.server.close(resolve));
    const started = Date.now();
    const result = await sendNotification({ url, summary, attempts: 3, baseDelayMs: 10, timeoutMs: 2_000 });
    expect(result).toMatchObject({ ok: false, attempts: 3, status: null, error: { code: 'RW_NOTIFY_NETWORK', message: expect.stringMatching(/ECONNREFUSED/) } });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a server that never answers after the per-attempt timeout', async () => {
    const receiver = await startReceiver(['hang']);
    servers.push(receiver.server);
    const result = await sendNotification({ url: receiver.url, summary, attempts: 2, baseDelayMs: 10, timeoutMs: 200 });
    expect(result).toMatchObject({ ok: false, attempts: 2, error: { code: 'RW_NOTIFY_TIMEOUT' } });
  });

  it('stops waiting to retry when its signal fires', async () => {
    const receiver = await startReceiver([{ status: 500 }]);
    servers.push(receiver.server);
    const controller = new AbortController();
    const pending = sendNotification({ url: receiver.url, summary, attempts: 5, baseDelayMs: 60_000, signal: controller.signal });
    // Abort once the first attempt has been answered (so the sender is in its long backoff).
    await once(receiver.server, 'replied');
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, attempts: 1, error: { code: 'RW_CANCELLED' } });
  });

  it('refuses non-http(s) URLs and URLs with credentials without sending anything', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/x', 'not a url', 'https://user:pass@example.com/hook']) {
      const result = await sendNotification({ url, summary });
      expect(result).toMatchObject({ ok: false, attempts: 0, error: { code: 'RW_NOTIFY_BAD_URL' } });
    }
  });
});

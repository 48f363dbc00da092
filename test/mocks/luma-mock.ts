import { randomUUID } from 'node:crypto';
import { createClipMaker, sendJson, sendVideo, smallSizeFor, startMockHttp } from './mock-http.js';
import type { MockVideoKind, RecordedRequest } from './mock-http.js';

/**
 * What the mock does with one create call (`POST /generations/video`), consumed in order; when the
 * list is empty, `defaultScript` applies.
 * - `succeed`: queued → dreaming → completed, serving `output` (default `motion`); the first `expiredUrls`
 *   downloads of the video answer 403 (Luma's CDN URLs expire; a fresh GET does not renew them).
 * - `fail`: ends `failed` with `failure_reason` (refunded).
 * - `never`: stays `dreaming` forever.
 * - `http`: the create call answers `status` (e.g. 429 with `retry-after`, 500); nothing is created.
 * - `hang`: the create call never answers and nothing is created (the request never reached Luma's store).
 * - `drop`: the connection is reset before an answer and nothing is created.
 * `pollErrors` makes the first polls answer these statuses. `lostAnswer` (on `succeed`, `fail`, `never`):
 * the generation IS created and runs (it is listed and can be polled), but the create call gets no
 * answer: `'hang'` never answers (the client times out), `'drop'` resets the connection.
 */
export type LumaMockScript =
  | { type: 'succeed'; output?: MockVideoKind; expiredUrls?: number; pollErrors?: readonly number[]; lostAnswer?: LumaLostAnswer }
  | { type: 'fail'; failureReason: string; pollErrors?: readonly number[]; lostAnswer?: LumaLostAnswer }
  | { type: 'never'; pollErrors?: readonly number[]; lostAnswer?: LumaLostAnswer }
  | { type: 'http'; status: number; body?: unknown; headers?: Readonly<Record<string, string>> }
  | { type: 'hang' }
  | { type: 'drop' };

/** How a create call that did create a generation loses its answer. */
export type LumaLostAnswer = 'hang' | 'drop';

/** One generation the mock holds. */
export type LumaMockGeneration = {
  id: string;
  createdAt: string;
  request: Record<string, unknown>;
  script: Exclude<LumaMockScript, { type: 'http' } | { type: 'hang' } | { type: 'drop' }>;
  state: 'queued' | 'dreaming' | 'completed' | 'failed';
  admitted: boolean;
  queuedLeft: number;
  dreamingLeft: number;
  pollErrorsLeft: number[];
  downloads: number;
  deleted: boolean;
};

/** Options for `createLumaMock`. */
export type CreateLumaMockOptions = {
  /** The only key accepted (`Authorization: Bearer <key>`); others get 401. */
  apiKey: string;
  script?: readonly LumaMockScript[];
  /** Default `{ type: 'succeed' }`. */
  defaultScript?: LumaMockScript;
  /** Generations dreaming at once; later ones stay `queued` (default 10). */
  concurrency?: number;
  /** Creates accepted per minute; more answer 429 (default 20). */
  createsPerMinute?: number;
  /** Polls answered `queued` after admission (default 1). */
  queuedPolls?: number;
  /** Polls answered `dreaming` (default 2). */
  dreamingPolls?: number;
  /** `credit_balance` of `GET /credits`, in USD cents (default 5000). */
  creditBalanceCents?: number;
};

/** A running mock of the Luma Dream Machine API. */
export type LumaMock = {
  /** Pass as `baseURL` (ends in `/dream-machine/v1`, like the real default). */
  baseURL: string;
  requests: RecordedRequest[];
  generations: Map<string, LumaMockGeneration>;
  push(...scripts: LumaMockScript[]): void;
  /** Requests matching a method and a path prefix (relative to the origin, e.g. `/dream-machine/v1/generations`). */
  count(method: string, pathPrefix: string): number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

const PREFIX = '/dream-machine/v1';
const MODELS = ['ray-2', 'ray-flash-2'];
const ASPECTS = ['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21'];
const DURATIONS = ['5s', '9s'];
const RESOLUTIONS = ['540p', '720p', '1080p', '4k'];

function validate(body: Record<string, unknown>): string | null {
  if (typeof body['model'] !== 'string' || !MODELS.includes(body['model'])) return `Invalid model: ${JSON.stringify(body['model'])}`;
  const prompt = body['prompt'];
  if (prompt !== undefined) {
    if (typeof prompt !== 'string') return 'prompt must be a string';
    if (prompt.length < 3 && !body['keyframes']) return 'Prompt is too short, minimum length is 3 characters';
    if (prompt.length > 5000) return 'Prompt is too long, maximum length is 5000 characters';
  }
  if (body['aspect_ratio'] !== undefined && !ASPECTS.includes(String(body['aspect_ratio']))) return `Invalid aspect_ratio: ${JSON.stringify(body['aspect_ratio'])}`;
  if (body['duration'] !== undefined && !DURATIONS.includes(String(body['duration']))) return `Invalid duration: ${JSON.stringify(body['duration'])}`;
  if (body['resolution'] !== undefined && !RESOLUTIONS.includes(String(body['resolution']))) return `Invalid resolution: ${JSON.stringify(body['resolution'])}`;
  if (body['loop'] !== undefined && typeof body['loop'] !== 'boolean') return 'loop must be a boolean';
  return null;
}

/**
 * A loopback mock of Luma's API (`lumaai` 1.19.1 wire format, PROVIDERS.md): bearer key check,
 * 201 on create, `{detail}` error bodies, a create-per-minute limit (429), generations that move
 * queued → dreaming → completed|failed on each poll, `GET /generations?limit&offset` (newest first),
 * creates whose answer is lost (`lostAnswer`), and a real small MP4 served from the same server.
 *
 * @example
 * await using luma = await createLumaMock({ apiKey: 'luma_test', script: [{ type: 'fail', failureReason: 'Contains blacklisted words' }] });
 */
export async function createLumaMock(options: CreateLumaMockOptions): Promise<LumaMock> {
  const scripts: LumaMockScript[] = [...(options.script ?? [])];
  const defaultScript = options.defaultScript ?? { type: 'succeed' };
  const concurrency = options.concurrency ?? 10;
  const createsPerMinute = options.createsPerMinute ?? 20;
  const queuedPolls = options.queuedPolls ?? 1;
  const dreamingPolls = options.dreamingPolls ?? 2;
  const generations = new Map<string, LumaMockGeneration>();
  const order: LumaMockGeneration[] = [];
  const createTimes: number[] = [];
  let makeClip: ReturnType<typeof createClipMaker>;

  const settle = (g: LumaMockGeneration) => {
    if (g.state === 'queued' && g.admitted && g.queuedLeft <= 0) g.state = 'dreaming';
    if (g.state === 'dreaming' && g.dreamingLeft <= 0 && g.script.type !== 'never') g.state = g.script.type === 'fail' ? 'failed' : 'completed';
  };
  const admit = () => {
    for (const g of order) {
      if (g.admitted || g.deleted) continue;
      if (order.filter((o) => o.admitted && !o.deleted && (o.state === 'queued' || o.state === 'dreaming')).length >= concurrency) return;
      g.admitted = true;
      settle(g);
    }
  };
  const advance = (g: LumaMockGeneration) => {
    if (g.state === 'queued' && g.admitted) g.queuedLeft -= 1;
    else if (g.state === 'dreaming' && g.script.type !== 'never') g.dreamingLeft -= 1;
    settle(g);
  };
  const view = (g: LumaMockGeneration, origin: string) => ({
    id: g.id,
    generation_type: 'video',
    state: g.state,
    failure_reason: g.state === 'failed' && g.script.type === 'fail' ? g.script.failureReason : null,
    created_at: g.createdAt,
    assets: g.state === 'completed' ? { video: `${origin}/_cdn/${g.id}/video.mp4`, image: null } : null,
    model: g.request['model'],
    request: g.request,
  });

  const http = await startMockHttp(async (_req, res, record) => {
    const detail = (status: number, message: string, headers: Record<string, string> = {}) => sendJson(res, status, { detail: message }, headers);

    const cdn = /^\/_cdn\/([^/]+)\/video\.mp4$/.exec(record.path);
    if (cdn && record.method === 'GET') {
      const g = generations.get(cdn[1]!);
      if (!g || g.deleted || g.state !== 'completed') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('Not Found');
        return;
      }
      g.downloads += 1;
      if (g.script.type === 'succeed' && g.downloads <= (g.script.expiredUrls ?? 0)) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
        return;
      }
      const kind = g.script.type === 'succeed' ? (g.script.output ?? 'motion') : 'motion';
      const [w, h] = String(g.request['aspect_ratio'] ?? '16:9').split(':').map(Number) as [number, number];
      const seconds = Number.parseInt(String(g.request['duration'] ?? '5s'), 10);
      await sendVideo(res, await makeClip({ kind, ...smallSizeFor(w, h), seconds }));
      return;
    }

    if (!record.path.startsWith(PREFIX)) {
      detail(404, 'Not Found');
      return;
    }
    const path = record.path.slice(PREFIX.length);
    if (record.headers['authorization'] !== `Bearer ${options.apiKey}`) {
      detail(401, 'Invalid API key');
      return;
    }

    if (record.method === 'POST' && path === '/generations/video') {
      if (typeof record.body !== 'object' || record.body === null) {
        detail(400, 'Request body must be JSON');
        return;
      }
      const body = record.body as Record<string, unknown>;
      const problem = validate(body);
      if (problem) {
        detail(400, problem);
        return;
      }
      const now = Date.now();
      while (createTimes.length > 0 && createTimes[0]! <= now - 60_000) createTimes.shift();
      if (createTimes.length >= createsPerMinute) {
        detail(429, 'Rate limit exceeded: too many generations created per minute', { 'retry-after': '1' });
        return;
      }
      const script = scripts.shift() ?? defaultScript;
      if (script.type === 'hang') return;
      if (script.type === 'drop') {
        res.socket?.destroy();
        return;
      }
      if (script.type === 'http') {
        sendJson(res, script.status, script.body ?? { detail: script.status === 429 ? 'Rate limit exceeded' : 'Internal Server Error' }, { ...script.headers });
        return;
      }
      createTimes.push(now);
      const g: LumaMockGeneration = {
        id: randomUUID(),
        createdAt: new Date().toISOString(),
        request: { generation_type: 'video', aspect_ratio: '16:9', duration: '5s', resolution: '720p', loop: false, ...body },
        script,
        state: 'queued',
        admitted: false,
        queuedLeft: queuedPolls,
        dreamingLeft: dreamingPolls,
        pollErrorsLeft: [...(script.pollErrors ?? [])],
        downloads: 0,
        deleted: false,
      };
      generations.set(g.id, g);
      order.push(g);
      const shown = view(g, http.origin); // a brand-new generation is reported queued
      admit();
      if (script.lostAnswer === 'hang') return; // created and running, but the client never hears so
      if (script.lostAnswer === 'drop') {
        res.socket?.destroy();
        return;
      }
      sendJson(res, 201, shown);
      return;
    }

    const one = /^\/generations\/([^/]+)$/.exec(path);
    if (one) {
      const g = generations.get(one[1]!);
      if (!g || g.deleted) {
        detail(404, 'Generation not found');
        return;
      }
      if (record.method === 'GET') {
        const fault = g.pollErrorsLeft.shift();
        if (fault !== undefined) {
          detail(fault, 'Internal Server Error');
          return;
        }
        const shown = view(g, http.origin);
        advance(g);
        admit();
        sendJson(res, 200, shown);
        return;
      }
      if (record.method === 'DELETE') {
        g.deleted = true;
        admit();
        res.writeHead(204);
        res.end();
        return;
      }
    }
    if (record.method === 'GET' && path === '/generations') {
      const limit = Number(record.query['limit'] ?? 10);
      const offset = Number(record.query['offset'] ?? 0);
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) {
        detail(422, `Invalid limit/offset: ${JSON.stringify(record.query)}`);
        return;
      }
      // Newest first, each in the same shape as GET /generations/{id} (listing does not advance a generation).
      const all = order.filter((g) => !g.deleted).reverse();
      const page = all.slice(offset, offset + limit);
      sendJson(res, 200, {
        generations: page.map((g) => view(g, http.origin)),
        count: page.length,
        has_more: offset + limit < all.length,
        limit,
        offset,
      });
      return;
    }
    if (record.method === 'GET' && path === '/credits') {
      sendJson(res, 200, { credit_balance: options.creditBalanceCents ?? 5000 });
      return;
    }
    detail(404, 'Not Found');
  });
  makeClip = createClipMaker(http.dir);

  return {
    baseURL: `${http.origin}${PREFIX}`,
    requests: http.requests,
    generations,
    push: (...more) => void scripts.push(...more),
    count: (method, prefix) => http.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    close: () => http.close(),
    [Symbol.asyncDispose]: () => http.close(),
  };
}

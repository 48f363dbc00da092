import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createClipMaker, sendJson, sendVideo, smallSizeFor, startMockHttp } from './mock-http.js';
import type { MockVideoKind, RecordedRequest } from './mock-http.js';

/**
 * What the mock does with one create call (`POST /v1/text_to_video` or `/v1/image_to_video`).
 * Scripts are consumed one per create call, in order; when the list is empty, `defaultScript` applies.
 * - `succeed`: a task that goes PENDING → RUNNING → SUCCEEDED and serves `output` (default `motion`).
 *   `throttledPolls` polls report THROTTLED first; `expiredUrls` output URLs answer 403 before fresh ones work.
 * - `fail`: a task that ends FAILED with `failureCode`/`failure`, billing `credits` (default 0).
 * - `never`: a task that stays RUNNING forever.
 * - `http`: the create call answers `status` (e.g. 429 with `retry-after`, 500); no task is created.
 * - `hang`: the create call never answers and no task is created.
 * `pollErrors` (succeed/fail/never) makes the first polls of the task answer these statuses.
 * `lostAnswer: 'hang'` (succeed/fail/never): the task IS created, runs and bills, but the create call never answers
 * (the client times out). Runway lists no tasks, so the client cannot find it: this is how a retried create pays twice.
 */
export type RunwayMockScript =
  | { type: 'succeed'; output?: MockVideoKind; throttledPolls?: number; expiredUrls?: number; pollErrors?: readonly number[]; lostAnswer?: 'hang' }
  | { type: 'fail'; failureCode: string; failure: string; credits?: number; pollErrors?: readonly number[]; lostAnswer?: 'hang' }
  | { type: 'never'; pollErrors?: readonly number[]; lostAnswer?: 'hang' }
  | { type: 'http'; status: number; body?: unknown; headers?: Readonly<Record<string, string>> }
  | { type: 'hang' };

/** One task the mock holds. */
export type RunwayMockTask = {
  id: string;
  createdAt: string;
  model: string;
  ratio: string;
  duration: number;
  seed: number | null;
  script: Exclude<RunwayMockScript, { type: 'http' } | { type: 'hang' }>;
  /** Polls answered so far. */
  polls: number;
  phase: 'THROTTLED' | 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  admitted: boolean;
  pendingLeft: number;
  runningLeft: number;
  throttledLeft: number;
  pollErrorsLeft: number[];
  urlsIssued: number;
  validTokens: Set<string>;
  credits: number;
  deleted: boolean;
};

/** Options for `createRunwayMock`. */
export type CreateRunwayMockOptions = {
  /** The only key the mock accepts (`Authorization: Bearer <key>`); others get 401. */
  apiKey: string;
  /** Scripts for the next create calls, in order. */
  script?: readonly RunwayMockScript[];
  /** What create calls do once `script` is used up (default `{ type: 'succeed' }`). */
  defaultScript?: RunwayMockScript;
  /** Tasks that may run at once; later ones report THROTTLED until a slot frees (default 2). */
  concurrency?: number;
  /** Polls answered PENDING after admission (default 1). */
  pendingPolls?: number;
  /** Polls answered RUNNING, with rising `progress` (default 2). */
  runningPolls?: number;
  /** `creditBalance` of `GET /v1/organization` (default 1000). */
  creditBalance?: number;
};

/** A running mock of the Runway API. */
export type RunwayMock = {
  /** Pass as `baseURL` (paths carry `/v1`). */
  baseURL: string;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  tasks: Map<string, RunwayMockTask>;
  /** Appends scripts for later create calls. */
  push(...scripts: RunwayMockScript[]): void;
  /** Requests matching a method and a path prefix. */
  count(method: string, pathPrefix: string): number;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

const RUNWAY_VERSION = '2024-11-06';
const CREDITS_PER_SECOND: Readonly<Record<string, number>> = { 'gen4.5': 12, gen4_turbo: 5, 'veo3.1': 20, 'veo3.1_fast': 10 };
const AUDIO_CREDITS_PER_SECOND: Readonly<Record<string, number>> = { 'veo3.1': 40, 'veo3.1_fast': 15 };
const TWO_TO_TEN = [2, 3, 4, 5, 6, 7, 8, 9, 10];
const VEO = { durations: [4, 6, 8], text: ['1280:720', '720:1280', '1080:1920', '1920:1080'], image: ['1280:720', '720:1280', '1080:1920', '1920:1080'] };
const MODELS: Readonly<Record<string, { durations: number[]; text: string[] | null; image: string[] }>> = {
  'gen4.5': { durations: TWO_TO_TEN, text: ['1280:720', '720:1280'], image: ['1280:720', '720:1280', '1104:832', '960:960', '832:1104', '1584:672'] },
  gen4_turbo: { durations: TWO_TO_TEN, text: null, image: ['1280:720', '720:1280', '1104:832', '832:1104', '960:960', '1584:672'] },
  'veo3.1': VEO,
  'veo3.1_fast': VEO,
};

/** Largest image data URI accepted (5 MB; read conservatively, like the adapter's `RUNWAY_DATA_URI_MAX_BYTES`). */
const DATA_URI_MAX = 5_000_000;

type Issue = { path: string[]; message: string };

function validateCreate(kind: 'text' | 'image', body: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  const model = typeof body['model'] === 'string' ? body['model'] : '';
  const spec = MODELS[model];
  if (!spec || (kind === 'text' && !spec.text)) {
    issues.push({ path: ['model'], message: `Invalid enum value. Received '${model}'` });
    return issues;
  }
  const prompt = body['promptText'];
  if (kind === 'text' || prompt !== undefined) {
    if (typeof prompt !== 'string' || prompt.length === 0) issues.push({ path: ['promptText'], message: 'String must contain at least 1 character(s)' });
    else if (prompt.length > 1000) issues.push({ path: ['promptText'], message: 'String must contain at most 1000 character(s)' });
  }
  if (kind === 'image') {
    const image = body['promptImage'];
    if (typeof image !== 'string' || !/^(https:\/\/|data:image\/)/.test(image)) issues.push({ path: ['promptImage'], message: 'Expected an HTTPS URL or a data URI' });
    else if (image.startsWith('data:')) {
      // Image data URIs: JPEG, PNG or WebP, base64, at most 5 MB (docs.dev.runwayml.com, "API Input Parameters").
      if (!/^data:image\/(jpeg|jpg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(image)) {
        issues.push({ path: ['promptImage'], message: 'Invalid data URI. Expected a base64 image/jpeg, image/png or image/webp data URI' });
      } else if (image.length > DATA_URI_MAX) issues.push({ path: ['promptImage'], message: `Data URI is too large. Maximum size is ${DATA_URI_MAX} bytes` });
    }
  }
  const ratios = kind === 'text' ? spec.text! : spec.image;
  if (typeof body['ratio'] !== 'string' || !ratios.includes(body['ratio'])) {
    issues.push({ path: ['ratio'], message: `Invalid enum value. Expected ${ratios.map((r) => `'${r}'`).join(' | ')}` });
  }
  const duration = body['duration'];
  if (duration !== undefined && (typeof duration !== 'number' || !spec.durations.includes(duration))) {
    issues.push({ path: ['duration'], message: `Invalid duration. Expected one of ${spec.durations.join(', ')}` });
  }
  const seed = body['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 4_294_967_295)) {
    issues.push({ path: ['seed'], message: 'Number must be an integer from 0 to 4294967295' });
  }
  return issues;
}

/**
 * A loopback mock of the Runway API (`@runwayml/sdk` 4.20.1 wire format, PROVIDERS.md): checks the
 * bearer key and `X-Runway-Version`, validates create bodies like the API (400 `{error, issues}`),
 * runs tasks through PENDING/THROTTLED/RUNNING/SUCCEEDED|FAILED on each poll (no clocks, so tests
 * never sleep), and serves a real small MP4 from signed-looking output URLs on the same server.
 *
 * @example
 * await using runway = await createRunwayMock({ apiKey: 'key_test', script: [{ type: 'http', status: 500 }] });
 */
export async function createRunwayMock(options: CreateRunwayMockOptions): Promise<RunwayMock> {
  const scripts: RunwayMockScript[] = [...(options.script ?? [])];
  const defaultScript = options.defaultScript ?? { type: 'succeed' };
  const concurrency = options.concurrency ?? 2;
  const pendingPolls = options.pendingPolls ?? 1;
  const runningPolls = options.runningPolls ?? 2;
  const tasks = new Map<string, RunwayMockTask>();
  const order: RunwayMockTask[] = [];
  let makeClip: ReturnType<typeof createClipMaker>;

  const isActive = (t: RunwayMockTask) => t.admitted && (t.phase === 'PENDING' || t.phase === 'RUNNING');

  function admit(): void {
    for (const task of order) {
      if (task.admitted || task.phase === 'CANCELLED') continue;
      if (task.throttledLeft > 0) continue;
      if (order.filter(isActive).length >= concurrency) return;
      task.admitted = true;
      task.phase = 'PENDING';
      settle(task);
    }
  }

  function taskBody(task: RunwayMockTask, origin: string): Record<string, unknown> {
    const base = { id: task.id, createdAt: task.createdAt };
    switch (task.phase) {
      case 'THROTTLED':
      case 'PENDING':
        return { ...base, status: task.phase, estimatedCost: { credits: task.credits } };
      case 'RUNNING': {
        const done = runningPolls - task.runningLeft;
        return { ...base, status: 'RUNNING', progress: Math.min(0.99, done / Math.max(1, runningPolls)), estimatedCost: { credits: task.credits } };
      }
      case 'SUCCEEDED': {
        // Like real signed URLs, each read of the task hands out a fresh output URL.
        const token = randomUUID();
        task.urlsIssued += 1;
        const expired = task.script.type === 'succeed' && task.urlsIssued <= (task.script.expiredUrls ?? 0);
        if (!expired) task.validTokens.add(token);
        return { ...base, status: 'SUCCEEDED', output: [`${origin}/_outputs/${task.id}/${token}.mp4`], cost: { credits: task.credits } };
      }
      case 'FAILED': {
        const script = task.script as Extract<RunwayMockScript, { type: 'fail' }>;
        return { ...base, status: 'FAILED', failure: script.failure, failureCode: script.failureCode, cost: { credits: script.credits ?? 0 } };
      }
      case 'CANCELLED':
        return { ...base, status: 'CANCELLED', cost: { credits: 0 } };
    }
  }

  /** Skips phases that have no polls left. */
  function settle(task: RunwayMockTask): void {
    if (task.phase === 'PENDING' && task.pendingLeft <= 0) task.phase = 'RUNNING';
    if (task.phase === 'RUNNING' && task.runningLeft <= 0 && task.script.type !== 'never') {
      task.phase = task.script.type === 'fail' ? 'FAILED' : 'SUCCEEDED';
    }
  }

  /** Moves a task on after a poll reported its state. */
  function advance(task: RunwayMockTask): void {
    if (task.phase === 'THROTTLED' && task.throttledLeft > 0) task.throttledLeft -= 1;
    else if (task.phase === 'PENDING') task.pendingLeft -= 1;
    else if (task.phase === 'RUNNING' && task.script.type !== 'never') task.runningLeft -= 1;
    settle(task);
  }

  const http = await startMockHttp(async (req, res, record) => {
    const origin = http.origin;
    const error = (status: number, message: string, extra: Record<string, unknown> = {}) => sendJson(res, status, { error: message, ...extra });

    // Output files are on a CDN in real life: no API key, no version header.
    const output = /^\/_outputs\/([^/]+)\/([^/]+)\.mp4$/.exec(record.path);
    if (output && record.method === 'GET') {
      const task = tasks.get(output[1]!);
      if (!task || task.deleted || !task.validTokens.has(output[2]!)) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
        return;
      }
      const kind = task.script.type === 'succeed' ? (task.script.output ?? 'motion') : 'motion';
      const [w, h] = task.ratio.split(':').map(Number) as [number, number];
      const file = await makeClip({ kind, ...smallSizeFor(w, h), seconds: task.duration });
      await sendVideo(res, file);
      return;
    }

    if (record.headers['authorization'] !== `Bearer ${options.apiKey}`) {
      error(401, 'Unauthorized: the API key is missing or invalid.');
      return;
    }
    if (record.headers['x-runway-version'] !== RUNWAY_VERSION) {
      error(400, `The X-Runway-Version header is required and must be ${RUNWAY_VERSION}.`);
      return;
    }

    if (record.method === 'POST' && (record.path === '/v1/text_to_video' || record.path === '/v1/image_to_video')) {
      if (!(record.headers['content-type'] ?? '').includes('application/json') || typeof record.body !== 'object' || record.body === null) {
        error(400, 'Request body must be JSON.');
        return;
      }
      const body = record.body as Record<string, unknown>;
      const issues = validateCreate(record.path === '/v1/text_to_video' ? 'text' : 'image', body);
      if (issues.length > 0) {
        error(400, 'Validation of body failed', { issues });
        return;
      }
      const script = scripts.shift() ?? defaultScript;
      if (script.type === 'hang') return; // never answer
      if (script.type === 'http') {
        const status = script.status;
        sendJson(res, status, script.body ?? { error: status === 429 ? 'You have exceeded the rate limit.' : 'An internal error occurred.' }, { ...script.headers });
        return;
      }
      const model = body['model'] as string;
      const duration = typeof body['duration'] === 'number' ? body['duration'] : 8;
      const perSecond = body['audio'] === true ? (AUDIO_CREDITS_PER_SECOND[model] ?? 0) : (CREDITS_PER_SECOND[model] ?? 0);
      const task: RunwayMockTask = {
        id: randomUUID(),
        createdAt: new Date().toISOString(),
        model,
        ratio: body['ratio'] as string,
        duration,
        seed: typeof body['seed'] === 'number' ? body['seed'] : null,
        script,
        polls: 0,
        phase: 'THROTTLED',
        admitted: false,
        pendingLeft: pendingPolls,
        runningLeft: runningPolls,
        throttledLeft: script.type === 'succeed' ? (script.throttledPolls ?? 0) : 0,
        pollErrorsLeft: [...(script.pollErrors ?? [])],
        urlsIssued: 0,
        validTokens: new Set(),
        credits: perSecond * duration,
        deleted: false,
      };
      tasks.set(task.id, task);
      order.push(task);
      admit();
      if (script.lostAnswer === 'hang') return; // created and billing, but the client never hears so
      sendJson(res, 200, { id: task.id, estimatedCost: { credits: task.credits } });
      return;
    }

    const taskPath = /^\/v1\/tasks\/([^/]+)$/.exec(record.path);
    if (taskPath) {
      const task = tasks.get(taskPath[1]!);
      if (!task || task.deleted) {
        error(404, 'Task not found.');
        return;
      }
      if (record.method === 'GET') {
        task.polls += 1;
        const fault = task.pollErrorsLeft.shift();
        if (fault !== undefined) {
          error(fault, 'An internal error occurred.');
          return;
        }
        const body = taskBody(task, origin);
        advance(task);
        admit();
        sendJson(res, 200, body);
        return;
      }
      if (record.method === 'DELETE') {
        if (task.phase === 'SUCCEEDED' || task.phase === 'FAILED' || task.phase === 'CANCELLED') task.deleted = true;
        else task.phase = 'CANCELLED';
        admit();
        res.writeHead(204);
        res.end();
        return;
      }
    }

    if (record.method === 'GET' && record.path === '/v1/organization') {
      sendJson(res, 200, {
        creditBalance: options.creditBalance ?? 1000,
        tier: {
          maxMonthlyCreditSpend: 100_000,
          models: Object.fromEntries(Object.keys(MODELS).map((m) => [m, { maxConcurrentGenerations: concurrency, maxDailyGenerations: 50 }])),
        },
        usage: { models: {} },
      });
      return;
    }
    notFound(res);
  });
  makeClip = createClipMaker(http.dir);

  const mock: RunwayMock = {
    baseURL: http.origin,
    requests: http.requests,
    tasks,
    push: (...more) => void scripts.push(...more),
    count: (method, prefix) => http.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length,
    close: () => http.close(),
    [Symbol.asyncDispose]: () => http.close(),
  };
  return mock;
}

function notFound(res: ServerResponse): void {
  sendJson(res, 404, { error: 'Not found.' });
}

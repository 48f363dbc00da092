import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { ReelwrightError } from '../errors/index.js';
import type { CacheIndex, ProviderDefaults } from '../plan/index.js';
import type { InputImageStore } from '../run/index.js';
import { TEMPLATE_ENTRY_NAMES, resolveTemplateEntry } from '../template/index.js';
import type { TemplateDefinition } from '../template/index.js';
import type { BundleStudioAppResult } from './bundle-studio-app.js';
import type { EventHub } from './create-event-hub.js';
import type { FileRoutes } from './create-file-routes.js';
import type { PreviewClips } from './create-preview-clips.js';
import type { RenderJobs } from './create-render-jobs.js';
import type { SourceMapper } from './create-source-mapper.js';
import type { TemplateRegistry } from './create-template-registry.js';
import { describeClipEvent } from './describe-clip-event.js';
import { DATASET_EXTENSIONS, listProjectFiles } from './list-project-files.js';
import { planRow } from './plan-row.js';
import type { PlanRowOptions } from './plan-row.js';
import { prepareRow } from './prepare-row.js';
import { readStudioDataset } from './read-studio-dataset.js';
import { resolveProjectPath } from './resolve-project-path.js';
import { sendFile } from './send-file.js';
import { StudioError } from './studio-error.js';
import { toErrorInfo } from './to-error-info.js';
import { toProjectRef } from './to-project-ref.js';
import { toTemplateState } from './to-template-state.js';
import type {
  ClipActionRequest,
  ClipEstimateResponse,
  ClipGenerateResponse,
  OpenPathResponse,
  PrepareRowRequest,
  RenderRowApiRequest,
  SourceLocationsRequest,
  StudioProject,
} from './types.js';
import type { DatasetWatch } from './watch-datasets.js';

/** Largest JSON body the API reads (the form of one row). */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Extensions of files "open file" treats as template entries. */
const TEMPLATE_EXTENSIONS = new Set(['.tsx', '.ts', '.jsx', '.js', '.mjs']);

/** Content Security Policy of the studio page: its own script and styles only; frames, media and data from itself. */
const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of `createRequestHandler`: everything the studio's routes use, built by `startStudio`. */
export type CreateRequestHandlerOptions = {
  /** The project folder (absolute, symlinks resolved). */
  projectDir: string;
  templatesDir: string;
  datasetsDir: string;
  /** Cache root (`<stateDir>/cache`): template bundles live in `bundles/<hash>/`. */
  cacheDir: string;
  allowOutsideProject: boolean;
  app: BundleStudioAppResult;
  files: FileRoutes;
  hub: EventHub;
  templates: TemplateRegistry;
  datasets: DatasetWatch;
  clips: PreviewClips;
  cacheIndex: CacheIndex;
  /** Provider and model choices as the batch plans them (project config applied). */
  providerDefaults: ProviderDefaults;
  /** The batch's renderer version (part of planned manifests). */
  rendererVersion: string;
  sourceMapper: SourceMapper;
  renders: RenderJobs;
  fetchMedia: (url: string, signal: AbortSignal | null) => Promise<string>;
  /** Where remote images are fetched to (`ProjectPaths.mediaDir`): first frames are read from there, as in the batch. */
  mediaDir: string;
  /** The first-frame images the studio's providers resolve (`ClipProviders`' `inputImages`); planned rows add theirs. */
  inputImages: InputImageStore;
  /** `Host` headers accepted (DNS-rebinding guard), or null to accept any (bound to a non-loopback address on purpose). */
  allowedHosts: () => ReadonlySet<string> | null;
  /** Fires when the studio closes. */
  signal: AbortSignal;
};

/** The studio's HTTP request handler; the promise settles (never rejects) when the request is answered. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

type ReadyTemplate = { entry: string; ref: string; definition: TemplateDefinition; sourceHash: string };

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function statusOf(error: unknown): number {
  if (error instanceof StudioError) return error.status;
  if (error instanceof ReelwrightError) return error.code === 'RW_TEMPLATE_NOT_FOUND' || error.code === 'RW_DATASET_NOT_FOUND' ? 404 : 422;
  return 500;
}

function badRequest(message: string): StudioError {
  return new StudioError(message, { code: 'RW_STUDIO_BAD_REQUEST', status: 400 });
}

async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  // Only JSON: a page on another site cannot send it without a CORS preflight, which this server never grants.
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new StudioError('The request body must be JSON (content-type: application/json).', { code: 'RW_STUDIO_BAD_REQUEST', status: 415 });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY_BYTES) throw new StudioError(`The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.`, { code: 'RW_STUDIO_BAD_REQUEST', status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new StudioError(`The request body is not valid JSON: ${(error as Error).message}`, { code: 'RW_STUDIO_BAD_REQUEST', status: 400, cause: error });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw badRequest(`"${name}" must be a non-empty string.`);
  return value;
}

function checkPrepareRequest(body: unknown): PrepareRowRequest {
  if (!isRecord(body)) throw badRequest('The body must be a JSON object.');
  const cells = body['cells'];
  if (!isRecord(cells) || Object.values(cells).some((cell) => typeof cell !== 'string')) throw badRequest('"cells" must map slot names to strings.');
  const dataset = body['dataset'];
  if (dataset !== null && typeof dataset !== 'string') throw badRequest('"dataset" must be a string or null.');
  const line = body['line'];
  const index = body['index'];
  if (!Number.isInteger(line) || (line as number) < 1 || !Number.isInteger(index) || (index as number) < 0) {
    throw badRequest('"line" must be a whole number ≥ 1 and "index" ≥ 0.');
  }
  return {
    template: stringField(body, 'template'),
    dataset: dataset === '' ? null : dataset,
    variant: stringField(body, 'variant'),
    cells: cells as Record<string, string>,
    line: line as number,
    index: index as number,
  };
}

function checkClipRequest(body: unknown): ClipActionRequest {
  const base = checkPrepareRequest(body);
  const record = body as Record<string, unknown>;
  const clipId = record['clipId'];
  if (clipId !== undefined && typeof clipId !== 'string') throw badRequest('"clipId" must be a string.');
  return { ...base, slot: stringField(record, 'slot'), ...(clipId === undefined ? {} : { clipId }) };
}

function pageHtml(app: BundleStudioAppResult): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>reelwright studio</title>',
    `<link rel="stylesheet" href="/app/${app.hash}/app.css">`,
    '</head>',
    '<body>',
    '<div id="root"></div>',
    `<script src="/app/${app.hash}/app.js"></script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Builds the studio's HTTP handler: the web app (`/`, `/app/<hash>/…`), the JSON API (`/api/…`), the event stream
 * (`/api/events`) and read-only files (`/files/…`, see `createFileRoutes`). Every path the API receives is
 * confined to the project by `resolveProjectPath`. Requests whose `Host` is not the studio's own address are
 * refused (DNS rebinding), and POSTs must be JSON from the studio's own origin.
 *
 * @example
 * server.on('request', createRequestHandler({ projectDir, … }));
 */
export function createRequestHandler(options: CreateRequestHandlerOptions): RequestHandler {
  const { projectDir, files, hub, templates, clips } = options;
  const allowOutside = options.allowOutsideProject;
  const refOf = (file: string) => toProjectRef(projectDir, file);
  const urlOf = (file: string) => files.urlOf(file) ?? files.register(file);

  const resolveTemplate = async (ref: string): Promise<string> => {
    const target = await resolveProjectPath({ projectDir, input: ref, allowOutside });
    return resolveTemplateEntry({ templatesDir: options.templatesDir, id: target });
  };

  const readyTemplate = async (ref: string): Promise<ReadyTemplate> => {
    const entry = await resolveTemplate(ref);
    const build = await (await templates.open(entry)).settled();
    if (build.status !== 'ready') {
      const info = toErrorInfo(build.error, projectDir);
      throw new StudioError(`The template ${refOf(entry)} is not usable until it builds:\n${info.message}`, { code: 'RW_STUDIO_TEMPLATE_NOT_READY', status: 409 });
    }
    return { entry, ref: refOf(entry), definition: build.definition, sourceHash: build.sourceHash };
  };

  const resolveDataset = async (ref: string): Promise<string> => {
    const file = await resolveProjectPath({ projectDir, input: ref, allowOutside });
    if (!DATASET_EXTENSIONS[path.extname(file).toLowerCase()]) {
      throw new StudioError(`${ref} is not a dataset: use a .csv, .tsv, .json, .ndjson or .jsonl file.`, { code: 'RW_STUDIO_BAD_PATH', status: 400 });
    }
    return file;
  };

  /** The options `planRow`/`prepareRow` share for a request's row. */
  const rowOptions = async (body: PrepareRowRequest, template: ReadyTemplate): Promise<Omit<PlanRowOptions, 'priceOf' | 'validateRequest'>> => {
    const dataset = body.dataset === null ? null : await resolveDataset(body.dataset);
    return {
      template: template.definition,
      templateHash: template.sourceHash,
      variant: body.variant,
      cells: body.cells,
      line: body.line,
      index: body.index,
      fileLabel: dataset === null ? 'form' : path.basename(dataset),
      baseDir: dataset === null ? projectDir : path.dirname(dataset),
      cacheIndex: options.cacheIndex,
      providerDefaults: options.providerDefaults,
      rendererVersion: options.rendererVersion,
      mediaDir: options.mediaDir,
      inputImages: options.inputImages,
      signal: options.signal,
    };
  };

  /** The planned clip of one B-roll slot of a request's row. */
  const plannedClip = async (body: ClipActionRequest) => {
    const template = await readyTemplate(body.template);
    const planned = await planRow({ ...(await rowOptions(body, template)), priceOf: (request) => clips.estimate(request).estimate, validateRequest: clips.validate });
    if (!planned.ok) {
      throw new StudioError(`The row breaks a rule, so its clip cannot be planned: ${planned.problems.map((p) => p.text).join(' ')}`, {
        code: 'RW_STUDIO_ROW_INVALID',
        status: 422,
      });
    }
    const clipId = planned.job.clips[body.slot];
    const clip = planned.plan.clips.find((candidate) => candidate.clipId === clipId);
    if (clipId === undefined || !clip) throw badRequest(`Template "${template.definition.id}" has no B-roll slot "${body.slot}".`);
    return { clipId, request: clip.request, cached: clip.status === 'cached' };
  };

  const routes: Record<string, (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>> = {
    'GET /api/project': async (_request, response) => {
      const found = await listProjectFiles({ projectDir, templatesDir: options.templatesDir, datasetsDir: options.datasetsDir });
      const project: StudioProject = {
        name: path.basename(projectDir),
        ...found,
        allowOutsideProject: allowOutside,
        render: { available: options.renders.available, reason: options.renders.reason },
      };
      sendJson(response, 200, project);
    },

    'GET /api/template': async (_request, response, url) => {
      const entry = await resolveTemplate(url.searchParams.get('ref') ?? '');
      const build = await (await templates.open(entry)).settled();
      sendJson(response, 200, toTemplateState({ ref: refOf(entry), build, urlOf, projectDir }));
    },

    'GET /api/dataset': async (_request, response, url) => {
      const template = await readyTemplate(url.searchParams.get('template') ?? '');
      const file = await resolveDataset(url.searchParams.get('ref') ?? '');
      options.datasets.add(file);
      sendJson(response, 200, await readStudioDataset({ file, ref: refOf(file), template: template.definition, signal: options.signal }));
    },

    'POST /api/prepare': async (request, response) => {
      const body = checkPrepareRequest(await readJsonBody(request));
      const template = await readyTemplate(body.template);
      const result = await prepareRow({ ...(await rowOptions(body, template)), clips, fetchMedia: options.fetchMedia, urlOf, refOf, signal: options.signal });
      sendJson(response, 200, result);
    },

    'POST /api/source-locations': async (request, response) => {
      const body = (await readJsonBody(request)) as Partial<SourceLocationsRequest>;
      if (typeof body.bundleHash !== 'string' || !/^[0-9a-f]{16,128}$/.test(body.bundleHash)) throw badRequest('"bundleHash" must be a bundle hash.');
      const positions = Array.isArray(body.positions) ? body.positions.slice(0, 50) : [];
      if (positions.some((p) => !Number.isInteger(p?.line) || !Number.isInteger(p?.column))) throw badRequest('"positions" must be {line, column} pairs.');
      const bundleDir = path.join(options.cacheDir, 'bundles', body.bundleHash);
      sendJson(response, 200, { locations: await options.sourceMapper.resolve({ bundleDir, positions, relativeTo: projectDir }) });
    },

    'POST /api/clips/estimate': async (request, response) => {
      const body = checkClipRequest(await readJsonBody(request));
      const { clipId, request: clipRequest, cached } = await plannedClip(body);
      const priced = clips.estimate(clipRequest);
      const answer: ClipEstimateResponse = {
        slot: body.slot,
        clipId,
        provider: clipRequest.provider,
        model: clipRequest.model,
        prompt: clipRequest.prompt,
        seconds: clipRequest.seconds,
        cached,
        estimate: priced.estimate,
        paid: priced.estimate.usd > 0,
        available: priced.available,
        reason: priced.reason,
      };
      sendJson(response, 200, answer);
    },

    'POST /api/clips/generate': async (request, response) => {
      const body = checkClipRequest(await readJsonBody(request));
      const { clipId, request: clipRequest } = await plannedClip(body);
      if (body.clipId !== undefined && body.clipId !== clipId) {
        throw new StudioError('The row changed since the estimate was shown (its clip is now a different one). Ask for the estimate again.', {
          code: 'RW_STUDIO_ROW_CHANGED',
          status: 409,
        });
      }
      const priced = clips.estimate(clipRequest);
      if (priced.estimate.usd > 0 && body.clipId === undefined) {
        // Money is only spent on a clip whose estimate the user saw and confirmed (the app sends its clip id back).
        throw new StudioError(`Generating this clip costs about $${priced.estimate.usd.toFixed(2)}: ask for the estimate first and confirm it.`, {
          code: 'RW_STUDIO_CONFIRM_REQUIRED',
          status: 428,
        });
      }
      if (!priced.available) {
        throw new StudioError(`Generating with ${clipRequest.provider} is not available here: ${priced.reason ?? 'no provider.'}`, {
          code: 'RW_STUDIO_GENERATION_UNAVAILABLE',
          status: 501,
        });
      }
      const result = await clips.generate({
        request: clipRequest,
        signal: options.signal,
        onEvent: (event) => hub.send({ type: 'clip', clipId, slot: body.slot, message: describeClipEvent(event), done: event.type === 'succeeded' || event.type === 'cache-hit' }),
      });
      const answer: ClipGenerateResponse = { clipId, file: refOf(result.file), costUsd: result.costUsd, attempts: result.attempts, cached: result.cached };
      sendJson(response, 200, answer);
    },

    'POST /api/open': async (request, response) => {
      const body = await readJsonBody(request);
      if (!isRecord(body)) throw badRequest('The body must be a JSON object.');
      const target = await resolveProjectPath({ projectDir, input: stringField(body, 'path'), allowOutside });
      const info = await stat(target);
      const extension = path.extname(target).toLowerCase();
      let answer: OpenPathResponse;
      if (info.isDirectory() || TEMPLATE_EXTENSIONS.has(extension)) {
        answer = { kind: 'template', ref: refOf(await resolveTemplateEntry({ templatesDir: options.templatesDir, id: target })) };
      } else if (DATASET_EXTENSIONS[extension]) {
        answer = { kind: 'dataset', ref: refOf(target) };
      } else {
        throw badRequest(`${refOf(target)} is neither a template (${TEMPLATE_ENTRY_NAMES.join(', ')} or a folder holding one) nor a dataset (.csv, .tsv, .json, .ndjson, .jsonl).`);
      }
      sendJson(response, 200, answer);
    },

    'POST /api/render': async (request, response) => {
      if (!options.renders.available) {
        throw new StudioError(options.renders.reason ?? 'Rendering is not available.', { code: 'RW_STUDIO_RENDER_UNAVAILABLE', status: 501 });
      }
      const body = (await readJsonBody(request)) as Partial<RenderRowApiRequest>;
      if (!isRecord(body)) throw badRequest('The body must be a JSON object.');
      const template = await readyTemplate(stringField(body, 'template'));
      const dataset = await resolveDataset(stringField(body, 'dataset'));
      const variant = stringField(body, 'variant');
      if (!Object.hasOwn(template.definition.variants, variant)) throw badRequest(`Template "${template.definition.id}" has no variant "${variant}".`);
      const job = options.renders.start({
        templateRef: template.ref,
        templateEntry: template.entry,
        templateId: template.definition.id,
        datasetRef: refOf(dataset),
        dataset,
        rowKey: stringField(body, 'rowKey'),
        variant,
      });
      sendJson(response, 202, job);
    },

    'GET /api/renders': async (_request, response) => {
      sendJson(response, 200, options.renders.list());
    },

    'GET /api/events': async (request, response) => {
      hub.attach(request, response);
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const hosts = options.allowedHosts();
    if (hosts !== null && !hosts.has((request.headers.host ?? '').toLowerCase())) {
      sendJson(response, 403, { error: { code: 'RW_STUDIO_BAD_HOST', message: 'This studio only answers requests addressed to its own address.', locations: [] } });
      return;
    }
    if (method === 'POST') {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
        sendJson(response, 403, { error: { code: 'RW_STUDIO_BAD_ORIGIN', message: 'Requests must come from the studio page itself.', locations: [] } });
        return;
      }
    }
    const url = new URL(request.url ?? '/', 'http://studio.invalid');
    const route = routes[`${method} ${url.pathname}`];
    if (route) {
      await route(request, response, url);
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendJson(response, url.pathname.startsWith('/api/') ? 404 : 405, { error: { code: 'RW_STUDIO_NOT_FOUND', message: `No ${method} ${url.pathname}.`, locations: [] } });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const html = pageHtml(options.app);
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': APP_CSP,
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      response.end(method === 'HEAD' ? undefined : html);
      return;
    }
    const asset = /^\/app\/([0-9a-f]+)\/(app\.js|app\.css)$/.exec(url.pathname);
    if (asset && asset[1] === options.app.hash) {
      await sendFile({ request, response, file: path.join(options.app.dir, asset[2] as string), caching: 'immutable' });
      return;
    }
    // Read-only project files; the raw path is checked, so `..` never reaches the file system.
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    const routed = await files.resolve(rawPath);
    if (routed) {
      response.setHeader('x-frame-options', 'SAMEORIGIN');
      await sendFile({ request, response, file: routed.file, caching: routed.caching });
      return;
    }
    const forbidden = rawPath.split('/').some((segment) => segment === '..' || segment === '.' || /%2e%2e/i.test(segment));
    response.writeHead(forbidden ? 403 : 404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    response.end(forbidden ? 'Forbidden' : 'Not found');
  };

  return (request, response) =>
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      sendJson(response, statusOf(error), { error: toErrorInfo(error, projectDir) });
    });
}


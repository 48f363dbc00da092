import { mkdir, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openClipCache } from '../clips/index.js';
import { CancelledError } from '../errors/index.js';
import { collectSecretValues, openJournal } from '../journal/index.js';
import type { Journal } from '../journal/index.js';
import { log } from '../log/index.js';
import type { LogLevel, OnLog } from '../log/index.js';
import { ClipProviders, DEFAULT_PROVIDER_MODELS, InputImageStore, RENDERER_VERSION, fetchRemoteMedia, loadConfig, projectPaths, readTimingEnv } from '../run/index.js';
import { bundleStudioApp } from './bundle-studio-app.js';
import { createBatchRenderRow } from './create-batch-render-row.js';
import { createEventHub } from './create-event-hub.js';
import { createFileRoutes } from './create-file-routes.js';
import { createPreviewClips } from './create-preview-clips.js';
import { createRenderJobs } from './create-render-jobs.js';
import { createRequestHandler } from './create-request-handler.js';
import { createSourceMapper } from './create-source-mapper.js';
import { createTemplateRegistry } from './create-template-registry.js';
import type { RenderRow } from './render-row.js';
import { StudioError } from './studio-error.js';
import { toProjectRef } from './to-project-ref.js';
import { toTemplateState } from './to-template-state.js';
import { watchDatasets } from './watch-datasets.js';

/** Interface the studio listens on unless told otherwise: this machine only. */
export const DEFAULT_STUDIO_HOST = '127.0.0.1';
/** Port the studio listens on unless told otherwise (`0` picks a free one). */
export const DEFAULT_STUDIO_PORT = 3838;
/** What the app says when the studio was started without the batch pipeline (`renderRow: null`). */
export const RENDER_UNAVAILABLE_REASON = 'This studio was started without the batch pipeline (runBatch), so it cannot render. Use `reelwright render`.';

/** Sub-folders of the state folder the studio serves: bundles, cached clips, decoded frames, fetched images — never the journal or locks. */
const SERVED_STATE_FOLDERS = ['cache', 'clips', 'frames', 'media'] as const;

/** Options of `startStudio`. */
export type StartStudioOptions = {
  /** The project folder (holding `templates/` and `datasets/`); default the current folder. */
  projectDir?: string;
  /** Interface to listen on; default `DEFAULT_STUDIO_HOST` (127.0.0.1). Anything else exposes the studio to the network. */
  host?: string;
  /** Port; default `DEFAULT_STUDIO_PORT`; 0 picks a free one. */
  port?: number;
  /** State folder; default `<projectDir>/.reelwright` (the batch's). */
  stateDir?: string;
  /** Where "Render this row" writes MP4s; default the batch's (`outputs/<template id>`). */
  outDir?: string;
  /** Let "open file" and the API accept paths outside the project (`--allow-outside-project`). Off by default. */
  allowOutsideProject?: boolean;
  /**
   * Renders one row for "Render this row"; default `createBatchRenderRow()` (`runBatch` restricted to the row,
   * with the render pool). Null disables the button.
   */
  renderRow?: RenderRow | null;
  /** Where provider keys are read from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Closes the studio when it fires. */
  signal?: AbortSignal | null;
  logLevel?: LogLevel;
  onLog?: OnLog | null;
};

/** A running studio. */
export type Studio = {
  /** `http://127.0.0.1:<port>/` — open it in a browser. */
  url: string;
  host: string;
  port: number;
  /** The project folder it serves (absolute). */
  projectDir: string;
  /** Stops watching, cancels running renders, closes the server. Safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function checkOptions(options: StartStudioOptions): void {
  const port = options.port ?? DEFAULT_STUDIO_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StudioError(`options.port must be a whole number from 0 to 65535, got ${JSON.stringify(options.port)}.`, { code: 'RW_INVALID_OPTION', status: 400 });
  }
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host.trim() === '')) {
    throw new StudioError(`options.host must be an address such as 127.0.0.1, got ${JSON.stringify(options.host)}.`, { code: 'RW_INVALID_OPTION', status: 400 });
  }
  if (options.renderRow != null && typeof options.renderRow !== 'function') {
    throw new StudioError('options.renderRow must be a function (request) => Promise<{ outFile }>, or null.', { code: 'RW_INVALID_OPTION', status: 400 });
  }
}

/**
 * Starts the studio: a local web app for template authors. It lists the project's templates and datasets, shows a
 * dataset's rows with the CLI's validation, previews a row in the very page host the renderer uses (same bundle
 * code, fonts and pre-decoded B-roll frames), builds a form from the template's slots, rebuilds and reloads on
 * every template change (errors shown with file:line:column), and renders a row through the batch pipeline.
 * Binds to 127.0.0.1 unless `host` says otherwise; serves files from the project only.
 *
 * @example
 * await using studio = await startStudio({ projectDir: '.', port: 0 });
 * console.log(`Studio at ${studio.url}`);
 * @see createRequestHandler for the API
 */
export async function startStudio(options: StartStudioOptions = {}): Promise<Studio> {
  checkOptions(options);
  const signal = options.signal ?? null;
  if (signal?.aborted) throw new CancelledError('Starting the studio was cancelled.', signal.reason);
  const logOptions = { logLevel: options.logLevel ?? 'info', onLog: options.onLog ?? null, tag: 'studio' };
  const host = options.host?.trim() ?? DEFAULT_STUDIO_HOST;
  const requestedPort = options.port ?? DEFAULT_STUDIO_PORT;
  let projectDir: string;
  try {
    projectDir = await realpath(path.resolve(options.projectDir ?? '.'));
    if (!(await stat(projectDir)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new StudioError(`The project folder ${path.resolve(options.projectDir ?? '.')} does not exist or is not a folder. Pass --project <folder>.`, {
      code: 'RW_STUDIO_NO_PROJECT',
      status: 400,
      cause: error,
    });
  }
  // The batch's own folders and config: the preview reads and writes the same caches the batch does.
  const paths = projectPaths({ projectDir, stateDir: options.stateDir ?? null });
  const { stateDir, cacheDir, templatesDir, datasetsDir } = paths;
  const outDir = options.outDir === undefined ? null : path.resolve(projectDir, options.outDir);
  const config = loadConfig({ projectDir });
  const env = options.env ?? process.env;
  await mkdir(cacheDir, { recursive: true });

  const app = await bundleStudioApp({ cacheDir });
  const files = createFileRoutes({
    mounts: [
      { name: 'templates', root: templatesDir },
      { name: 'datasets', root: datasetsDir },
      { name: 'outputs', root: outDir ?? paths.outputsDir },
      { name: 'state', root: stateDir, only: SERVED_STATE_FOLDERS, caching: 'immutable' },
    ],
  });
  const urlOf = (file: string) => files.urlOf(file) ?? files.register(file);
  const hub = createEventHub();
  const cache = openClipCache({ stateDir });
  let journal: Journal | null = null;
  // First-frame images of the rows the studio plans (`planRow` adds them): Runway/Luma resolve input images from it.
  const inputImages = new InputImageStore();
  const providers = new ClipProviders({
    env,
    config: { local: { workDir: path.join(paths.workDir, 'local') }, runway: config.providers.runway, luma: config.providers.luma },
    ...(config.priceTable ? { priceTable: config.priceTable } : {}),
    inputImages,
  });
  // Exactly what `prepareBatch` gives the planner, so the preview plans the batch's clip ids.
  const models: Record<string, string> = { ...DEFAULT_PROVIDER_MODELS };
  if (config.provider && config.model) models[config.provider] = config.model;
  const clips = createPreviewClips({
    paths,
    cache,
    providers,
    config,
    openLedger: () => (journal ??= openJournal({ file: paths.journalFile, secretValues: collectSecretValues({ env }) })),
    pollIntervalMs: readTimingEnv(env).pollIntervalMs,
  });
  const templates = createTemplateRegistry({
    cacheDir,
    ignore: [stateDir, outDir ?? paths.outputsDir],
    onChange: (entry, build) => hub.send({ type: 'template', state: toTemplateState({ ref: toProjectRef(projectDir, entry), build, urlOf, projectDir }) }),
  });
  const datasets = watchDatasets({ onChange: (file) => hub.send({ type: 'dataset', ref: toProjectRef(projectDir, file) }) });
  const renders = createRenderJobs({
    renderRow: options.renderRow === undefined ? createBatchRenderRow({ env, logLevel: logOptions.logLevel, onLog: logOptions.onLog }) : options.renderRow,
    unavailableReason: RENDER_UNAVAILABLE_REASON,
    projectDir,
    stateDir,
    outDir,
    hub,
    urlOf,
    refOf: (file) => toProjectRef(projectDir, file),
  });
  const lifetime = new AbortController();
  let allowedHosts: ReadonlySet<string> | null = null;
  const handler = createRequestHandler({
    projectDir,
    templatesDir,
    datasetsDir,
    cacheDir,
    allowOutsideProject: options.allowOutsideProject ?? false,
    app,
    files,
    hub,
    templates,
    datasets,
    clips,
    cacheIndex: cache,
    providerDefaults: { models, forceProvider: config.provider },
    rendererVersion: RENDERER_VERSION,
    sourceMapper: createSourceMapper(),
    renders,
    fetchMedia: (url, fetchSignal) => fetchRemoteMedia({ url, cacheDir: paths.mediaDir, signal: fetchSignal }),
    mediaDir: paths.mediaDir,
    inputImages,
    allowedHosts: () => allowedHosts,
    signal: lifetime.signal,
  });

  // Requests still being answered: close() waits for them (they stop at `lifetime`) before closing the cache.
  const answering = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const answered = handler(request, response);
    answering.add(answered);
    void answered.finally(() => answering.delete(answered));
  });
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port: requestedPort }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    hub.close();
    cache.close();
    await Promise.all([templates.close(), datasets.close(), renders.close()]);
    const code = (error as NodeJS.ErrnoException).code;
    const hint = code === 'EADDRINUSE' ? ` Port ${requestedPort} is taken: pass --port <another> (or --port 0 for any free port).` : '';
    throw new StudioError(`The studio could not listen on ${host}:${requestedPort}: ${(error as Error).message}.${hint}`, {
      code: 'RW_STUDIO_LISTEN_FAILED',
      status: 500,
      cause: error,
    });
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (isLoopback(host) || isLoopback(address.address)) {
    // DNS-rebinding guard: a page on another site that resolves its own name to 127.0.0.1 still sends its own Host.
    allowedHosts = new Set([`${urlHost}:${address.port}`, `localhost:${address.port}`, `127.0.0.1:${address.port}`, `[::1]:${address.port}`]);
  } else {
    log.warn(logOptions, `The studio listens on ${host}: anyone who can reach this machine can open it and read the project's templates and datasets.`);
  }
  const url = `http://${urlHost}:${address.port}/`;
  log.verbose(logOptions, `serving ${projectDir} at ${url}`);

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      signal?.removeEventListener('abort', onAbort);
      lifetime.abort(new CancelledError('The studio was closed.'));
      hub.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([renders.close(), templates.close(), datasets.close(), stopped, Promise.allSettled([...answering])]);
      cache.close();
      journal?.close();
    })();
    return closing;
  };
  const onAbort = () => void close();
  signal?.addEventListener('abort', onAbort, { once: true });

  return { url, host: address.address, port: address.port, projectDir, close, [Symbol.asyncDispose]: close };
}

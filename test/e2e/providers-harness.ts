/**
 * Shared set-up of the `providers-*` end-to-end tests: the Runway and Luma loopback mocks (driven
 * through the real `@runwayml/sdk` and `lumaai` inside the real CLI), recognizable fake keys, a
 * copy of `test/fixtures/projects/broll` with a `reelwright.config.json`, and small readers.
 * The tests run `render --concurrency 1`: one warm browser is plenty for a few 1-second rows, and
 * these tests are about providers, not the render pool.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ClipId } from '../../src/clips/index.js';
import type { AttemptRecord, ClipUseRecord, RowRecord, RunRecord } from '../../src/journal/index.js';
import type { RunReport } from '../../src/report/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, type CliResult } from '../helpers/cli.js';
import { copyProject, readJournal, type TempProject } from '../helpers/project.js';
import { createLumaMock, type CreateLumaMockOptions, type LumaMock } from '../mocks/luma-mock.js';
import type { RecordedRequest } from '../mocks/mock-http.js';
import { createRunwayMock, type CreateRunwayMockOptions, type RunwayMock } from '../mocks/runway-mock.js';

/** Fake keys that are easy to find in any byte stream (and nothing else contains). */
export const RUNWAY_KEY = 'rwtest-RUNWAY-key-6f1d0c-DO-NOT-LEAK';
export const LUMA_KEY = 'rwtest-LUMA-key-93b2e7-DO-NOT-LEAK';

/** Both mocks and the child environment that points the real SDKs at them. */
export type Providers = {
  runway: RunwayMock;
  luma: LumaMock;
  /** Keys, base URLs and the test-only short poll interval and backoff for the CLI's environment. */
  env: Record<string, string>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** Starts both mocks (each accepting only its fake key). */
export async function startProviders(options: { runway?: Partial<CreateRunwayMockOptions>; luma?: Partial<CreateLumaMockOptions> } = {}): Promise<Providers> {
  const runway = await createRunwayMock({ apiKey: RUNWAY_KEY, ...options.runway });
  const luma = await createLumaMock({ apiKey: LUMA_KEY, ...options.luma });
  const close = async () => {
    await Promise.all([runway.close(), luma.close()]);
  };
  return {
    runway,
    luma,
    env: {
      RUNWAYML_API_SECRET: RUNWAY_KEY,
      LUMAAI_API_KEY: LUMA_KEY,
      RUNWAYML_BASE_URL: runway.baseURL,
      LUMAAI_BASE_URL: luma.baseURL,
      // Test knobs of runBatch (not flags): poll every 15 ms, back off from 5 ms.
      REELWRIGHT_POLL_INTERVAL_MS: '15',
      REELWRIGHT_RETRY_BASE_MS: '5',
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Starts both mocks before the tests of the enclosing `describe` and closes them after. The returned object is
 * filled in `beforeAll`, so read it inside tests only.
 */
export function useProviders(options: Parameters<typeof startProviders>[0] = {}): Providers {
  const providers = {} as Providers;
  beforeAll(async () => {
    Object.assign(providers, await startProviders(options));
  });
  afterAll(async () => {
    await providers.close?.();
  });
  return providers;
}

/**
 * The mocks serve 256×144 clips (small and fast); the QA gate compares sizes with the provider's
 * nominal size (1280×720, 960×540), so tests accept small clips through the config, as a user of a
 * low-resolution reseller would.
 */
export const BASE_CONFIG = { clips: { qa: { minSizeRatio: 0.1 } } } as const;

/** A temporary copy of the `broll` fixture project with `config` merged over `BASE_CONFIG` as `reelwright.config.json`. */
export async function brollProject(config: { providers?: object; clips?: Record<string, unknown>; priceTable?: string; provider?: string; model?: string } = {}): Promise<TempProject> {
  const project = await copyProject('broll');
  const merged = { ...BASE_CONFIG, ...config, clips: { ...BASE_CONFIG.clips, ...config.clips } };
  await writeFile(project.path('reelwright.config.json'), `${JSON.stringify(merged, null, 2)}\n`);
  return project;
}

/** `POST` create calls a mock received (Runway text/image→video, Luma generations). */
export function creates(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => r.method === 'POST' && (r.path.startsWith('/v1/text_to_video') || r.path.startsWith('/v1/image_to_video') || r.path.endsWith('/generations/video')));
}

/** The summary line of `render --json`. */
export function summaryOf(result: CliResult): RunSummary {
  return lastJsonEvent<RunSummary & { type: string }>(result, 'summary');
}

/** The run's JSON report (written next to the outputs by `render`). */
export async function reportOf(summary: RunSummary): Promise<RunReport> {
  if (!summary.reports) throw new Error(`run ${summary.runId} wrote no reports`);
  return JSON.parse(await readFile(summary.reports.json, 'utf8')) as RunReport;
}

/** What the journal holds about one run. */
export type RunFacts = { run: RunRecord; rows: RowRecord[]; attempts: AttemptRecord[]; uses: ClipUseRecord[] };

/** Reads a run's rows, attempts and clip uses from the project's journal. */
export function runFacts(projectDir: string, runId: string): RunFacts {
  return readJournal(projectDir, (journal) => {
    const run = journal.getRun(runId);
    if (!run) throw new Error(`no run ${runId} in the journal`);
    return { run, rows: journal.listRows(runId), attempts: journal.listAttempts({ runId }), uses: journal.listClipUses(runId) };
  });
}

/** Every attempt of a clip, over all runs. */
export function clipAttempts(projectDir: string, clipId: string): AttemptRecord[] {
  return readJournal(projectDir, (journal) => journal.listAttempts({ clipId: clipId as ClipId }));
}

/** `[status, failureCode, costUsd]` per attempt: a compact shape to compare. */
export function attemptShape(attempts: readonly AttemptRecord[]): [string, string | null, number | null][] {
  return attempts.map((a) => [a.status, a.failureCode, a.costUsd === null ? null : Math.round(a.costUsd * 1e6) / 1e6]);
}

/**
 * Resolves when a request `match` accepts reaches the mock (already recorded or later). Hooks the
 * mock's request log, so the test waits on the event itself, never on a timer.
 */
export function waitForRequest(mock: { requests: RecordedRequest[] }, match: (request: RecordedRequest, all: readonly RecordedRequest[]) => boolean, until: Promise<unknown>): Promise<RecordedRequest> {
  const seen = mock.requests.find((r) => match(r, mock.requests));
  if (seen) return Promise.resolve(seen);
  return new Promise<RecordedRequest>((resolve, reject) => {
    const log = mock.requests;
    const push = log.push.bind(log);
    const restore = () => {
      log.push = push;
    };
    log.push = (...items: RecordedRequest[]) => {
      const length = push(...items);
      const hit = items.find((r) => match(r, log));
      if (hit) {
        restore();
        resolve(hit);
      }
      return length;
    };
    until.then(
      () => {
        restore();
        reject(new Error(`the process ended before the awaited request; the mock saw:\n${log.map((r) => `${r.method} ${r.path} ${r.status}`).join('\n')}`));
      },
      (error: Error) => {
        restore();
        reject(error);
      },
    );
  });
}

/**
 * Calls `sample` every time the mock records a request (before it is handled), until the returned
 * stop function is called; returns the largest value seen. Used to measure what the provider saw
 * at once, from the provider's side.
 */
export function sampleOnRequest(mock: { requests: RecordedRequest[] }, sample: () => number): () => number {
  const log = mock.requests;
  const push = log.push.bind(log);
  let max = sample();
  log.push = (...items: RecordedRequest[]) => {
    max = Math.max(max, sample());
    const length = push(...items);
    return length;
  };
  return () => {
    log.push = push;
    return Math.max(max, sample());
  };
}

/** Every file under `dir` (recursively), absolute. */
export async function listFiles(dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

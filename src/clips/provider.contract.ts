import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, ReelwrightError } from '../errors/index.js';
import { probeMedia } from '../media/index.js';
import { downloadClip } from './download-clip.js';
import type { ClipProvider, ClipRequest, TaskState } from './types.js';

/** What a contract run needs from one provider under test. */
export type ContractSubject = {
  provider: ClipProvider;
  /** A request the provider accepts and completes successfully. */
  validRequest: ClipRequest;
  /** A request `validateRequest` must refuse (an unsupported duration, say). */
  invalidRequest: ClipRequest;
  /** Stops whatever backs the provider (a mock server, a work folder). */
  close(): Promise<void>;
};

/** Options for `runContract`. */
export type RunContractOptions = {
  /** Shown in the test names, e.g. `runway (mock server)`. */
  name: string;
  /** Builds a fresh subject; called once for the suite. */
  makeProvider: () => Promise<ContractSubject>;
  /** Polls allowed before the task must be terminal (default 50). */
  maxPolls?: number;
};

const TERMINAL = new Set<TaskState['status']>(['succeeded', 'failed', 'cancelled']);

/**
 * The contract every `ClipProvider` passes (local, runway, luma): identity, validation before any
 * call, cost estimates with provenance, submit → poll → succeeded with a downloadable, decodable
 * clip of the requested length, cancellation, and a typed error for an unknown task.
 * Registers a vitest `describe` block; call it from a `*.test.ts` file.
 *
 * @example
 * runContract({ name: 'luma (mock server)', makeProvider: async () => { ... } });
 */
export function runContract(options: RunContractOptions): void {
  const maxPolls = options.maxPolls ?? 50;
  describe(`ClipProvider contract: ${options.name}`, () => {
    let subject: ContractSubject;
    let dir: string;
    beforeAll(async () => {
      subject = await options.makeProvider();
      dir = await mkdtemp(path.join(tmpdir(), 'rw-contract-'));
    });
    afterAll(async () => {
      await subject?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('has an id that matches its requests and a default model it accepts', () => {
      expect(subject.provider.id).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(subject.validRequest.provider).toBe(subject.provider.id);
      expect(() => subject.provider.validateRequest({ ...subject.validRequest, model: subject.provider.defaultModel })).not.toThrow();
    });

    it('refuses an invalid request with a ReelwrightError before any call', () => {
      expect(() => subject.provider.validateRequest(subject.validRequest)).not.toThrow();
      let thrown: unknown = null;
      try {
        subject.provider.validateRequest(subject.invalidRequest);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ReelwrightError);
      expect((thrown as ReelwrightError).code).toMatch(/^RW_[A-Z0-9_]+$/);
    });

    it('estimates a cost in USD with its source and a YYYY-MM-DD date', () => {
      const estimate = subject.provider.estimateCost(subject.validRequest);
      expect(estimate.usd).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(estimate.usd)).toBe(true);
      expect(estimate.source.length).toBeGreaterThan(0);
      expect(estimate.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('submits, polls to success and hands out a downloadable clip of the requested length', async () => {
      const submitted = await subject.provider.submit(subject.validRequest, null);
      expect(submitted.taskId.length).toBeGreaterThan(0);
      expect(submitted.estimatedCostUsd === null || submitted.estimatedCostUsd >= 0).toBe(true);
      let state: TaskState = { status: 'pending' };
      for (let i = 0; i < maxPolls && !TERMINAL.has(state.status); i++) state = await subject.provider.poll(submitted.taskId, null);
      expect(state.status).toBe('succeeded');
      if (state.status !== 'succeeded') return;
      expect(state.costUsd === null || state.costUsd >= 0).toBe(true);
      expect(state.outputUrl).toMatch(/^(https?|file):/);
      const file = path.join(dir, `${subject.provider.id}.mp4`);
      await downloadClip({ url: state.outputUrl, outFile: file, allowFileUrls: state.outputUrl.startsWith('file:') });
      const info = await probeMedia({ file });
      expect(info.video).not.toBeNull();
      expect(Math.abs(info.durationSeconds - subject.validRequest.seconds)).toBeLessThanOrEqual(0.5);
    });

    it('reads the same task again after it finished', async () => {
      const { taskId } = await subject.provider.submit(subject.validRequest, null);
      let state: TaskState = { status: 'pending' };
      for (let i = 0; i < maxPolls && !TERMINAL.has(state.status); i++) state = await subject.provider.poll(taskId, null);
      const again = await subject.provider.poll(taskId, null);
      expect(again.status).toBe(state.status);
    });

    it('rejects a submit whose signal has already fired with RW_CANCELLED', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(subject.provider.submit(subject.validRequest, controller.signal)).rejects.toMatchObject({ code: 'RW_CANCELLED' });
    });

    it('rejects polling a task it never created with a ProviderError', async () => {
      const error = await subject.provider.poll('no-such-task-0000', null).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
    });
  });
}

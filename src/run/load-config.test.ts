import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAME, DEFAULT_CONFIG, loadConfig } from './index.js';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (value: unknown) => writeFile(path.join(dir, CONFIG_FILE_NAME), typeof value === 'string' ? value : JSON.stringify(value));

  it('gives the documented defaults without a file: Runway 2 at once, Luma 10 at once and 20 creates a minute', () => {
    const config = loadConfig({ projectDir: dir });
    expect(config).toBe(DEFAULT_CONFIG);
    expect(config.limits).toMatchObject({ runway: { concurrency: 2, createsPerMinute: null }, luma: { concurrency: 10, createsPerMinute: 20 } });
  });

  it('merges per-provider limits, base URLs, clip settings and a price table relative to the file', async () => {
    await writeFile(
      path.join(dir, 'prices.json'),
      JSON.stringify({ entries: [{ provider: 'luma', model: 'ray-flash-2', resolution: null, seconds: null, params: {}, unit: 'clip', usd: 0.1, source: 'reseller', date: '2026-11-01' }] }),
    );
    await write({
      provider: 'luma',
      model: 'ray-2',
      priceTable: 'prices.json',
      providers: { runway: { concurrency: 1, baseURL: 'https://proxy.example/runway', timeoutMs: 5000 }, luma: { requestsPerMinute: null } },
      clips: { concurrency: 4, maxAttempts: 2, deadlineSeconds: 90, qa: { minSizeRatio: 0.5 } },
    });
    const config = loadConfig({ projectDir: dir });
    expect(config).toMatchObject({
      file: path.join(dir, CONFIG_FILE_NAME),
      provider: 'luma',
      model: 'ray-2',
      priceTableFile: path.join(dir, 'prices.json'),
      providers: { runway: { baseURL: 'https://proxy.example/runway', timeoutMs: 5000 }, luma: {} },
      limits: { runway: { concurrency: 1, createsPerMinute: null }, luma: { concurrency: 10, createsPerMinute: null }, local: { concurrency: 2 } },
      clips: { concurrency: 4, maxAttempts: 2, deadlineMs: 90_000, qa: { minSizeRatio: 0.5 } },
    });
    expect(config.priceTable?.entries).toEqual([expect.objectContaining({ provider: 'luma', usd: 0.1 })]);
  });

  it('names every bad key, what it got and what is allowed', async () => {
    await write({ provider: 'pika', providers: { runway: { concurency: 3 }, luma: { concurrency: 0, baseURL: 'ftp://x' } }, clips: { qa: { maxBlackRatio: 2 } } });
    const error = (() => {
      try {
        loadConfig({ projectDir: dir });
      } catch (thrown) {
        return thrown as { code: string; message: string };
      }
      throw new Error('no error');
    })();
    expect(error.code).toBe('RW_CONFIG_INVALID');
    expect(error.message).toMatch(/^reelwright\.config\.json: /);
    expect(error.message).toContain('provider must be one of "local", "runway", "luma", got "pika".');
    expect(error.message).toContain('unknown key "providers.runway.concurency". Allowed in providers.runway: baseURL, timeoutMs, concurrency, requestsPerMinute.');
    expect(error.message).toContain('providers.luma.concurrency must be >= 1, got 0.');
    expect(error.message).toContain('providers.luma.baseURL must match pattern "^https?://", got "ftp://x".');
    expect(error.message).toContain('clips.qa.maxBlackRatio must be <= 1, got 2.');
  });

  it('refuses API keys in the file without repeating them', async () => {
    await write({ providers: { runway: { apiSecret: 'sk-very-secret' } } });
    let message = '';
    try {
      loadConfig({ projectDir: dir });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/providers\.runway\.apiSecret: API keys are never read from the config file/);
    expect(message).not.toContain('sk-very-secret');
  });

  it('refuses a model without a provider, broken JSON and an unreadable price table', async () => {
    await write({ model: 'ray-2' });
    expect(() => loadConfig({ projectDir: dir })).toThrow(/"model" needs "provider"/);
    await write('{ "providers": ');
    expect(() => loadConfig({ projectDir: dir })).toThrow(/reelwright\.config\.json is not valid JSON/);
    await write({ priceTable: 'missing.json' });
    expect(() => loadConfig({ projectDir: dir })).toThrow(/priceTable "missing\.json" could not be read as JSON .*relative to the config file/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { linePrefix, log } from './log.js';

describe('log', () => {
  afterEach(() => vi.restoreAllMocks());

  function capture(run: () => void): string[] {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void lines.push(String(line)));
    run();
    return lines;
  }

  it('prints errors and warnings as "error: …" / "warning: …" without the internal tag at the info level', () => {
    const lines = capture(() => {
      log.error({ logLevel: 'info', tag: 'cli' }, 'the dataset is missing');
      log.warn({ logLevel: 'info', tag: 'runBatch()' }, 'line 3 is invalid');
      log.info({ logLevel: 'info', tag: 'runBatch()' }, 'done');
    });
    expect(lines).toEqual(['error: the dataset is missing', 'warning: line 3 is invalid', 'done']);
  });

  it('keeps the level and tag with --verbose, where they help debugging', () => {
    const lines = capture(() => {
      log.warn({ logLevel: 'verbose', tag: 'runBatch()' }, 'line 3 is invalid');
      log.verbose({ logLevel: 'verbose', tag: 'runBatch()' }, 'step');
    });
    expect(lines).toEqual(['[warn] runBatch(): line 3 is invalid', '[verbose] runBatch(): step']);
  });

  it('hands events to onLog with their tag whatever the display', () => {
    const events: unknown[] = [];
    log.warn({ logLevel: 'info', tag: 'runBatch()', onLog: (e) => events.push(e) }, 'x');
    expect(events).toEqual([{ level: 'warn', tag: 'runBatch()', message: 'x' }]);
  });

  it('prefixes nothing on info lines at any level', () => {
    expect(linePrefix('info', 'trace', 'cli')).toBe('');
    expect(linePrefix('error', 'warn', 'cli')).toBe('error: ');
  });
});

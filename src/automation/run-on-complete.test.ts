import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../run/index.js';
import { SAMPLE_SUMMARY } from './fixtures/sample-summary.js';
import { parseCommandLine, runOnComplete } from './index.js';

const summary: RunSummary = { ...SAMPLE_SUMMARY, runId: '7f3a09c2d1e84b6f' };

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

describe('runOnComplete', () => {
  let dir: string;
  let echoStdin: string;
  let echoArgs: string;
  const node = process.execPath;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-hook-'));
    echoStdin = path.join(dir, 'echo-stdin.mjs');
    await writeFile(echoStdin, "let s = ''; process.stdin.on('data', (c) => (s += c)); process.stdin.on('end', () => process.stdout.write(s));\n");
    echoArgs = path.join(dir, 'echo-args.mjs');
    await writeFile(echoArgs, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the summary as JSON to the hook’s stdin and reports a clean exit', async () => {
    const result = await runOnComplete({ command: [node, echoStdin], summary });
    expect(result).toMatchObject({ ok: true, exitCode: 0, exitSignal: null, timedOut: false, error: null });
    expect(JSON.parse(result.stdoutTail)).toEqual(summary);
  });

  it('passes shell metacharacters through literally and never runs what they would run in a shell', async () => {
    const marker = path.join(dir, 'pwned');
    const args = [`$(touch ${marker})`, `; touch ${marker}`, `\`touch ${marker}\``, `| tee ${marker}`, '*', '$HOME', "it's"];
    const result = await runOnComplete({ command: [node, echoArgs, ...args], summary });
    expect(result.ok).toBe(true);
    expect(JSON.parse(result.stdoutTail)).toEqual(args);
    const parsed = parseCommandLine(`"${node}" "${echoArgs}" '$(touch ${marker})' "a \\"b\\" c"`);
    const viaParser = await runOnComplete({ command: parsed, summary });
    expect(JSON.parse(viaParser.stdoutTail)).toEqual([`$(touch ${marker})`, 'a "b" c']);
    expect(await exists(marker)).toBe(false);
  });

  it('reports a failing hook with its exit code and stderr tail instead of throwing', async () => {
    const result = await runOnComplete({ command: [node, '-e', 'process.stderr.write("webhook down\\n"); process.exit(3)'], summary });
    expect(result).toMatchObject({ ok: false, exitCode: 3, error: { code: 'RW_HOOK_FAILED', message: expect.stringMatching(/exited with code 3/) } });
    expect(result.stderrTail).toBe('webhook down\n');
  });

  it('reports a program that cannot be started', async () => {
    const result = await runOnComplete({ command: [path.join(dir, 'no-such-hook')], summary });
    expect(result).toMatchObject({ ok: false, exitCode: null, error: { code: 'RW_HOOK_SPAWN_FAILED', message: expect.stringMatching(/ENOENT.*not found/) } });
  });

  it('stops a hook that runs past its time limit', async () => {
    const started = Date.now();
    const result = await runOnComplete({ command: [node, '-e', 'setTimeout(() => {}, 60000)'], summary, timeoutMs: 300, killGraceMs: 1000 });
    expect(result).toMatchObject({ ok: false, timedOut: true, exitSignal: 'SIGTERM', error: { code: 'RW_HOOK_TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops the hook when the signal fires', async () => {
    const controller = new AbortController();
    const pending = runOnComplete({
      command: [node, '-e', 'process.stdout.write("ready"); setTimeout(() => {}, 60000)'],
      summary,
      signal: controller.signal,
    });
    // The hook is spawned synchronously; aborting right away exercises the kill path.
    controller.abort();
    const result = await pending;
    expect(result).toMatchObject({ ok: false, error: { code: 'RW_CANCELLED' } });
  });

  it('refuses an empty command without spawning anything', async () => {
    expect(await runOnComplete({ command: [], summary })).toMatchObject({ ok: false, error: { code: 'RW_INVALID_OPTION' } });
  });
});

describe('parseCommandLine', () => {
  it('splits on spaces and honours single quotes, double quotes and backslash escapes', () => {
    expect(parseCommandLine('notify.sh --channel "#video ops"  --note \'it is $done\' a\\ b --x="1 2"')).toEqual([
      'notify.sh',
      '--channel',
      '#video ops',
      '--note',
      'it is $done',
      'a b',
      '--x=1 2',
    ]);
    expect(parseCommandLine(`printf "\\$HOME \\\\ \\n" '' *.csv`)).toEqual(['printf', '$HOME \\ \\n', '', '*.csv']);
  });

  it('refuses unquoted shell-only characters, ~, unterminated quotes and empty commands', () => {
    const cases: [string, RegExp][] = [
      ['notify.sh | tee log', /unquoted "\|"/],
      ['notify.sh; rm -rf /', /unquoted ";"/],
      ['notify.sh $HOME', /unquoted "\$"/],
      ['notify.sh $(id)', /unquoted "\$"/],
      ['notify.sh > out', /unquoted ">"/],
      ['~/bin/notify.sh', /"~".*full path/],
      ['notify.sh # note', /"#".*comment/],
      ['notify.sh "open', /double quote at position 11 is never closed/],
      ["notify.sh 'open", /single quote at position 11 is never closed/],
      ['notify.sh \\', /ends with a backslash/],
      ['   ', /it is empty/],
    ];
    for (const [text, pattern] of cases) {
      expect(() => parseCommandLine(text), text).toThrow(expect.objectContaining({ code: 'RW_BAD_COMMAND_LINE', message: expect.stringMatching(pattern) }));
    }
  });
});

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/studio-project/', import.meta.url));
const commandEntry = pathToFileURL(path.join(repoRoot, 'src/cli/commands/studio.ts')).href;
// The child script lives in a temporary folder: import commander by its resolved file, not by package name.
const commanderEntry = pathToFileURL(createRequire(import.meta.url).resolve('commander')).href;

/** A CLI with just the studio command (main.ts registers it with the others). */
const CHILD_SOURCE = `
import { Command } from ${JSON.stringify(commanderEntry)};
import { registerStudioCommand } from ${JSON.stringify(commandEntry)};
const program = new Command('reelwright').exitOverride();
registerStudioCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(String(error && error.message) + '\\n');
  process.exitCode = 2;
}
`;

describe('reelwright studio (command)', () => {
  let work: string;
  let child: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-studio-cli-'));
    await cp(FIXTURE, path.join(work, 'project'), { recursive: true });
    child = path.join(work, 'cli.mts');
    await writeFile(child, CHILD_SOURCE);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('serves the project on 127.0.0.1, prints the URL, and stops cleanly on Ctrl-C', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'studio', '--port', '0', '--project', path.join(work, 'project')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(proc, 'exit');
    const lines: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: proc.stderr }).on('line', (line) => {
        lines.push(line);
        const match = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ''));
        if (match) resolve(match[1] as string);
      });
      proc.once('exit', (code) => reject(new Error(`the studio exited (${code}) before printing its URL:\n${lines.join('\n')}`)));
    });
    const project = (await (await fetch(new URL('/api/project', url))).json()) as { templates: { id: string }[]; render: { available: boolean } };
    expect(project.templates.map((t) => t.id)).toEqual(['card']);
    expect(project.render.available).toBe(true);
    proc.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(new URL('/api/project', url))).rejects.toThrow();
  });

  it('refuses a port that is not a number, naming the flag', async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, 'studio', '--port', 'eighty'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(proc, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--port <n>.*expected a port from 0 to 65535/s);
  });
});

/**
 * Issue 2 end to end: the real `reelwright` binary on a temporary copy of the small fixture project
 * (real Chromium, ffmpeg and SQLite): rendered files, options, validation, hostile names, pixels, determinism.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames, hashFrames, probeMedia } from '../../src/media/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { buildProgram } from '../../src/cli/main.js';
import { lastJsonEvent, runCli, startCli } from '../helpers/cli.js';
import { copyProject, listNames, listVideos, readJournal, type TempProject } from '../helpers/project.js';

const RENDER = ['render', 'datasets/people.csv', '--template', 'card'] as const;

/** The RGB pixel at (x, y) of a decoded rgb24 frame. */
function pixelAt(frame: Buffer, width: number, x: number, y: number): [number, number, number] {
  const at = (y * width + x) * 3;
  return [frame[at] as number, frame[at + 1] as number, frame[at + 2] as number];
}

/** `#rrggbb` → [r, g, b]. */
function rgbOf(hex: string): [number, number, number] {
  return [0, 2, 4].map((i) => parseInt(hex.slice(1 + i, 3 + i), 16)) as [number, number, number];
}

/** Every file under `dir`, relative to it (sorted). */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('reelwright render on the small project', () => {
  let project: TempProject;
  let first: RunSummary;
  let outDir: string;

  beforeAll(async () => {
    project = await copyProject('small');
    outDir = project.path('outputs', 'card');
    const result = await runCli([...RENDER, '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    first = lastJsonEvent<RunSummary>(result, 'summary');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('writes one H.264 yuv420p MP4 per row with the template size, frame rate and duration', async () => {
    expect(first.counts).toMatchObject({ rows: 3, rendered: 3, failed: 0, invalid: 0 });
    expect(await listVideos(outDir)).toEqual(['ada-landscape.mp4', 'grace-landscape.mp4', 'linus-landscape.mp4']);
    for (const name of await listVideos(outDir)) {
      const info = await probeMedia({ file: path.join(outDir, name) });
      expect(info.video, name).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 160, height: 90, fps: 10, frameCount: 10 });
      expect(info.durationSeconds, name).toBeCloseTo(1, 1);
      expect(info.hasAudio).toBe(false);
    }
  });

  it("shows each row's colour slot at a known pixel, and two rows give different frames", async () => {
    const frames: Record<string, Buffer[]> = {};
    for (const [key, accent] of [
      ['ada', '#ff0000'],
      ['grace', '#00c000'],
      ['linus', '#0000ff'],
    ] as const) {
      frames[key] = await decodeFrames({ file: path.join(outDir, `${key}-landscape.mp4`) });
      expect(frames[key]).toHaveLength(10);
      // The template's right quarter is a flat panel in the accent colour (see templates/card/index.tsx).
      for (const frame of [frames[key][0], frames[key][9]] as Buffer[]) {
        const got = pixelAt(frame, 160, 152, 45);
        const want = rgbOf(accent);
        for (let c = 0; c < 3; c++) expect(Math.abs((got[c] as number) - (want[c] as number)), `${key} channel ${c}: got ${got}, want ${want}`).toBeLessThanOrEqual(12);
      }
    }
    const ada = frames['ada'] as Buffer[];
    const grace = frames['grace'] as Buffer[];
    for (let f = 0; f < 10; f++) expect((ada[f] as Buffer).equals(grace[f] as Buffer), `frame ${f}`).toBe(false);
  });

  it('renders the first N rows once per requested variant, named by the --name pattern', async () => {
    const result = await runCli([...RENDER, '--limit', '2', '--variants', 'landscape,square', '--name', '{{name}} {{score}} {{variant}}', '--out', 'named', '--json'], {
      cwd: project.dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonEvent<RunSummary>(result, 'summary').counts).toMatchObject({ rows: 2, jobs: 4, rendered: 4 });
    const named = project.path('named');
    expect(await listVideos(named)).toEqual([
      'Ada Lovelace 42 landscape.mp4',
      'Ada Lovelace 42 square.mp4',
      'Grace Hopper 7 landscape.mp4',
      'Grace Hopper 7 square.mp4',
    ]);
    expect((await probeMedia({ file: path.join(named, 'Ada Lovelace 42 square.mp4') })).video).toMatchObject({ width: 96, height: 96, frameCount: 10 });
    expect((await probeMedia({ file: path.join(named, 'Grace Hopper 7 landscape.mp4') })).video).toMatchObject({ width: 160, height: 90, frameCount: 10 });
  });

  it('keeps output names from hostile values inside --out: no traversal, separators, control characters or overlong names', async () => {
    const before = (await walk(project.dir)).filter((f) => !f.startsWith('.reelwright') && !f.startsWith('hostile'));
    const result = await runCli(['render', 'datasets/hostile-names.csv', '--template', 'card', '--name', '{{name}}', '--out', 'hostile/out', '--json'], {
      cwd: project.dir,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(lastJsonEvent<RunSummary>(result, 'summary').counts).toMatchObject({ rows: 5, rendered: 5, failed: 0 });
    const out = project.path('hostile', 'out');
    const names = await listVideos(out);
    expect(names).toHaveLength(5);
    for (const name of names) {
      expect(name).not.toMatch(/[/\\\u0000-\u001f\u007f\u202e]/);
      expect(name.startsWith('.')).toBe(false);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
    }
    expect(names).toContain('_._etc_passwd.mp4');
    // Nothing was written anywhere else: the project outside .reelwright/ and hostile/ (where ../../ from hostile/out lands) is as it was.
    expect((await walk(project.dir)).filter((f) => !f.startsWith('.reelwright') && !f.startsWith('hostile'))).toEqual(before);
    expect(await walk(project.path('hostile'))).toEqual([...names.map((n) => path.join('out', n)), ...(await walk(project.path('hostile', 'out', 'reports'))).map((r) => path.join('out', 'reports', r))].sort());
    const outputPaths = readJournal(project.dir, (journal) => [...journal.iterateRenders('card')].map((r) => r.outputPath));
    const hostileOutputs = outputPaths.filter((p) => p.startsWith(out + path.sep));
    expect(hostileOutputs).toHaveLength(5);
    for (const p of hostileOutputs) expect(path.dirname(p)).toBe(out);
  });

  it('renders the same row to identical frames every time (two forced renders into two folders)', async () => {
    for (const dir of ['again-a', 'again-b']) {
      const result = await runCli([...RENDER, '--limit', '1', '--force', '--out', dir], { cwd: project.dir });
      expect(result.code, result.stderr).toBe(0);
    }
    const [original, a, b] = await Promise.all(
      [path.join(outDir, 'ada-landscape.mp4'), project.path('again-a', 'ada-landscape.mp4'), project.path('again-b', 'ada-landscape.mp4')].map((file) => hashFrames({ file })),
    );
    expect(a).toHaveLength(10);
    // The name slides in, so the frames differ from each other; the comparison below is not of ten equal frames.
    expect(new Set(a).size).toBeGreaterThan(1);
    expect(b).toEqual(a);
    expect(original).toEqual(a);
  });
});

describe('reelwright render with invalid rows', () => {
  let project: TempProject;
  beforeAll(async () => {
    project = await copyProject('small');
  });
  afterAll(async () => {
    await project?.remove();
  });

  it('validate exits 0 on a clean file and 1 naming line, column and rule of each problem', async () => {
    const clean = await runCli(['validate', 'datasets/people.csv', '-t', 'card'], { cwd: project.dir });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/All 3 rows are valid/);
    const broken = await runCli(['validate', 'datasets/broken.csv', '-t', 'card'], { cwd: project.dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.csv line 3, column "accent": expected a colour .*got "not-a-colour"/);
    expect(broken.stderr).toMatch(/broken\.csv line 4, column "score": expected a number, got "twelve"/);
    expect(broken.stderr).toMatch(/1 valid, 2 invalid of 3 rows/);
  });

  it('validate and plan resolve relative image paths from --assets-dir instead of the dataset folder', async () => {
    // people.csv names assets/logo.svg; a copy in another folder finds it only with --assets-dir datasets.
    await mkdir(project.path('elsewhere'), { recursive: true });
    await copyFile(project.path('datasets', 'people.csv'), project.path('elsewhere', 'people.csv'));
    const [without, validated, planned] = await Promise.all([
      runCli(['validate', 'elsewhere/people.csv', '-t', 'card'], { cwd: project.dir }),
      runCli(['validate', 'elsewhere/people.csv', '-t', 'card', '--assets-dir', 'datasets'], { cwd: project.dir }),
      runCli(['plan', 'elsewhere/people.csv', '-t', 'card', '--assets-dir', 'datasets', '--json'], { cwd: project.dir }),
    ]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain(`people.csv line 2, column "logo": image file not found: "assets/logo.svg" (looked for ${project.path('elsewhere', 'assets', 'logo.svg')}).`);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stderr).toMatch(/All 3 rows are valid/);
    expect(planned.code, planned.stderr).toBe(0);
    expect((JSON.parse(planned.stdout) as { invalidRows: unknown[] }).invalidRows).toEqual([]);
  });

  it('--strict renders nothing when a row is invalid', async () => {
    const result = await runCli(['render', 'datasets/broken.csv', '-t', 'card', '--strict'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*2 invalid row\(s\) and --strict is on, so nothing was rendered/m);
    // No "→ 1 to render" line before an abort that renders nothing.
    expect(result.stderr).not.toMatch(/to render/);
    expect(await listVideos(project.path('outputs', 'card'))).toEqual([]);
  });

  it('renders the good rows of a file with bad ones, exits 1 and journals each bad row with line, column and rule', async () => {
    const result = await runCli(['render', 'datasets/broken.csv', '-t', 'card', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(1);
    const summary = lastJsonEvent<RunSummary>(result, 'summary');
    expect(summary.counts).toMatchObject({ rows: 3, invalid: 2, rendered: 1 });
    expect(await listVideos(project.path('outputs', 'card'))).toEqual(['ada-landscape.mp4']);
    const rows = readJournal(project.dir, (journal) => journal.listRows(summary.runId));
    expect(rows.map((r) => [r.rowKey, r.status])).toEqual(
      expect.arrayContaining([
        ['ada', 'rendered'],
        ['line-3', 'skipped'],
        ['line-4', 'skipped'],
      ]),
    );
    expect(rows.find((r) => r.rowKey === 'line-3')?.error?.message).toMatch(/line 3, column "accent": expected a colour/);
    // Each bad row is a plain "warning: …" line, without the internal "[warn] runBatch():" tag.
    expect(result.stderr).toMatch(/^warning: .*line 3, column "accent": expected a colour/m);
    expect(result.stderr).not.toMatch(/\[warn\]|runBatch\(\)/);
    expect(rows.find((r) => r.rowKey === 'line-4')?.error?.message).toMatch(/line 4, column "score": expected a number/);
    // The run's JSON report carries the failures too.
    const report = JSON.parse(await readFile(summary.reports?.json as string, 'utf8')) as unknown;
    expect(JSON.stringify(report)).toMatch(/column \\"accent\\": expected a colour/);
  });

  it('stops with exit 2 and one clear message when a required column is missing', async () => {
    const result = await runCli(['render', 'datasets/missing-column.csv', '-t', 'card'], { cwd: project.dir });
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: .*missing-column\.csv has no column for the required slot "name" of template "card".*--map/);
    expect(result.stderr).not.toMatch(/\[error\]|cli:/);
  });

  it('keeps the internal tag on errors with --verbose, where it helps debugging', async () => {
    const result = await runCli(['render', 'datasets/missing-column.csv', '-t', 'card', '--verbose'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^\[error\] cli: .*missing-column\.csv has no column for the required slot "name"/m);
  });

  it('run from a subfolder, names the absolute folder searched and says to run from the project folder or pass --project', async () => {
    const result = await runCli(['render', 'people.csv', '-t', 'card'], { cwd: project.path('datasets') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`there is no templates folder at ${project.path('datasets', 'templates')}.`);
    expect(result.stderr).toContain('Run reelwright from the project folder (the one with templates/) or pass --project <dir>.');
    expect(result.stderr).not.toMatch(/No templates were found/);
    // The advice works.
    const planned = await runCli(['plan', 'people.csv', '-t', 'card', '--project', '..'], { cwd: project.path('datasets') });
    expect(planned.code, planned.stderr).toBe(0);
  });

  it('exits 130 when Ctrl-C stops a render, after finishing the journal', async () => {
    // paced-row.csv's second row renders for ≥ 9 s on any machine, so the signal lands mid-render.
    const cli = startCli(['render', 'datasets/paced-row.csv', '-t', 'card', '--json', '--concurrency', '1', '--out', 'interrupted'], { cwd: project.dir });
    await cli.waitForJson((e) => e['type'] === 'progress' && e['stage'] === 'render');
    // Only the CLI gets the signal (a terminal's Ctrl-C also reaches Chromium; the CLI stops either way).
    process.kill(cli.child.pid as number, 'SIGINT');
    const result = await cli.exited;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/Stopping: finishing the journal/);
  });

  it('says the templates folder is empty (absolute path) instead of "not found in templates. No templates were found in templates."', async () => {
    await mkdir(project.path('datasets', 'templates'), { recursive: true });
    const result = await runCli(['validate', 'people.csv', '-t', 'card'], { cwd: project.path('datasets') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the templates folder ${project.path('datasets', 'templates')} is empty.`);
    expect(result.stderr).not.toMatch(/No templates were found/);
  });

  it('tells to save a spreadsheet as CSV instead of pointing at a --format option that does not exist', async () => {
    const result = await runCli(['validate', 'o_people.xlsx', '-t', 'card'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: o_people\.xlsx is a spreadsheet file \(\.xlsx\).*Save it as CSV \(Excel: File → Save As → CSV UTF-8/m);
    expect(result.stderr).not.toMatch(/format explicitly|--format/);
  });

  it('stops with exit 2 listing the available templates when the template is unknown', async () => {
    const result = await runCli(['render', 'datasets/people.csv', '-t', 'nope'], { cwd: project.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Template "nope" was not found.*Available templates: card/);
    expect(await listNames(project.path('outputs'))).not.toContain('nope');
  });
});

describe('reelwright doctor and --help', () => {
  it('--version and -V print the package version', async () => {
    const { version } = JSON.parse(await readFile(path.join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
    const results = await Promise.all([['--version'], ['-V']].map((args) => runCli(args, { cwd: process.cwd() })));
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });

  it('doctor exits 0 on this machine and names Chromium and ffmpeg', async () => {
    const result = await runCli(['doctor'], { cwd: process.cwd() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/chromium/i);
    expect(result.stderr).toMatch(/ffmpeg/i);
  });

  it('prints examples in the --help of every command and subcommand', async () => {
    // The command list comes from the program itself, so a new command is checked without editing this test.
    // Help text is rendered in-process (one Node start-up per command would cost ~1.5 s of CPU each);
    // the binary's own --help is checked below for two commands.
    const missing: string[] = [];
    const names: string[] = [];
    const visit = (command: Command, prefix: string[]) => {
      for (const sub of command.commands) {
        const name = [...prefix, sub.name()].join(' ');
        names.push(name);
        let text = '';
        sub.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
        sub.outputHelp();
        if (!/Examples:\n\s+\$ reelwright /.test(text)) missing.push(name);
        visit(sub, [...prefix, sub.name()]);
      }
    };
    visit(buildProgram(), []);
    expect(names).toEqual(expect.arrayContaining(['render', 'validate', 'plan', 'doctor', 'reproduce', 'cache', 'cache prune', 'cache verify']));
    expect(missing).toEqual([]);
    const results = await Promise.all([['render'], ['reproduce']].map((c) => runCli([...c, '--help'], { cwd: process.cwd() })));
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Examples:\n\s+\$ reelwright (render|reproduce) /);
    }
  });
});

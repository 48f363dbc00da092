/**
 * The reliability contract, issue 3: SIGKILL a real `reelwright render` (the whole process group: the CLI,
 * its pool workers' Chromium and ffmpeg — what a crash or power cut does) at several points, run the same
 * command again, and check that the batch finishes with every row rendered exactly once, no partial MP4
 * under a final name, no temporary file left behind, and finished videos untouched.
 *
 * The kill points are found through the files the run creates (inotify), never through timing.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/media/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { copyProject, fingerprint, listNames, listVideos, readJournal, renderedJobs, waitForEntry, type FileFingerprint, type TempProject } from '../helpers/project.js';

/** ada and linus last 1 s (10 frames), grace 90 s (900 frames): a frame loop long enough (seconds even at 160×90) to land a kill in on a fast, idle machine. */
const RENDER = ['render', 'datasets/long-row.csv', '--template', 'card', '--json'];
/** The same rows, with grace's frames paced (`frame_ms`) for the frame-loop kill. */
const PACED_RENDER = ['render', 'datasets/paced-row.csv', '--template', 'card', '--json'];
const VIDEOS = ['ada-landscape.mp4', 'grace-landscape.mp4', 'linus-landscape.mp4'];
const FRAMES: Record<string, number> = { 'ada-landscape.mp4': 10, 'grace-landscape.mp4': 900, 'linus-landscape.mp4': 10 };
const isTemp = (name: string) => name.includes('.tmp');

describe('a render killed with SIGKILL resumes with the same command', () => {
  let project: TempProject;
  let cli: CliProcess | null = null;
  /** The killed command, run again as is to resume. */
  let command: string[] = RENDER;
  const outDir = () => project.path('outputs', 'card');

  beforeEach(async () => {
    project = await copyProject('small');
  });
  afterEach(async () => {
    cli?.kill('SIGKILL');
    await cli?.exited;
    cli = null;
    await project.remove();
  });

  /** Starts the render; returns once `waitUntilKillPoint` resolved and the whole process group is dead. */
  async function killAt(waitUntilKillPoint: (run: CliProcess) => Promise<unknown>, extraArgs: string[] = [], render: string[] = RENDER): Promise<void> {
    command = [...render, ...extraArgs];
    cli = startCli(command, { cwd: project.dir });
    await waitUntilKillPoint(cli);
    cli.kill('SIGKILL');
    const ended = await cli.exited;
    expect(ended.signal).toBe('SIGKILL');
    // The dead run's lock is still there: the resumed run must detect it as stale and take it over.
    const lock = JSON.parse(await readFile(project.path('.reelwright', 'run.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(cli.child.pid);
  }

  /** The finished videos the journal knows of, with their fingerprints (taken while nothing runs). */
  async function finishedVideos(): Promise<Record<string, FileFingerprint>> {
    const names = readJournal(project.dir, (journal) => [...journal.iterateRenders('card')].map((r) => path.basename(r.outputPath)));
    return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await fingerprint(path.join(outDir(), name))] as const)));
  }

  /** Runs the same command again and checks the end state every kill point must reach. */
  async function resumeAndCheck(finishedBefore: Record<string, FileFingerprint>): Promise<RunSummary> {
    const result = await runCli(command, { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    const summary = lastJsonEvent<RunSummary>(result, 'summary');
    expect(summary.counts.rendered + summary.counts.upToDate).toBe(3);
    expect(summary.counts.upToDate).toBe(Object.keys(finishedBefore).length);
    // Exactly once: one `rendered` row record per row × variant over every run, the killed one included.
    expect(renderedJobs(project.dir)).toEqual(['ada#landscape', 'grace#landscape', 'linus#landscape']);
    // Exactly the expected files, each complete, and no temporary file from the killed run.
    expect(await listNames(outDir())).toEqual([...VIDEOS, 'reports']);
    expect((await listNames(path.join(outDir(), 'reports'))).filter(isTemp)).toEqual([]);
    for (const name of VIDEOS) {
      const info = await probeMedia({ file: path.join(outDir(), name) });
      expect(info.video?.frameCount, name).toBe(FRAMES[name]);
    }
    // Videos finished before the kill were left alone: same inode, mtime and bytes.
    for (const [name, before] of Object.entries(finishedBefore)) expect(await fingerprint(path.join(outDir(), name)), name).toEqual(before);
    const runs = readJournal(project.dir, (journal) => journal.listRuns().map((r) => r.status));
    expect(runs).toEqual(['completed', 'interrupted']);
    return summary;
  }

  it('killed during clip generation (after the task id was journaled): resumes by polling that task, not paying for a new one', async () => {
    const killOnce = async () => {
      const workDir = project.path('.reelwright', 'work', 'clips');
      await killAt(async (run) => {
        // generateClip works in .reelwright/work/clips/rw-clip-*/; attempt-1-provider.mp4 is downloaded only after
        // the create call returned and its task id was journaled.
        const clipDir = await waitForEntry(workDir, (n) => n.startsWith('rw-clip-'), run.exited);
        await waitForEntry(path.join(workDir, clipDir), (n) => n.startsWith('attempt-'), run.exited, { create: false });
      });
      return readJournal(project.dir, (journal) => {
        const run = journal.listRuns()[0];
        return { runId: run?.id, status: run?.status, attempts: journal.listAttempts({ runId: run?.id ?? null }), rows: journal.listRows(run?.id ?? '') };
      });
    };
    const inflightOf = (k: Awaited<ReturnType<typeof killOnce>>) => k.attempts.filter((a) => a.status === 'submitted' && a.taskId !== null);
    // The window between the download starting and the clip being cached is well under a second: a test process slowed
    // down by a loaded machine can kill after both clips are done. Then the kill proved nothing: start over on a fresh
    // copy (at most three tries), rather than pass or fail on timing.
    let killed = await killOnce();
    for (let tries = 1; tries < 3 && inflightOf(killed).length === 0; tries++) {
      await project.remove();
      project = await copyProject('small');
      killed = await killOnce();
    }
    expect(killed.status).toBe('running');
    const inflight = inflightOf(killed);
    expect(inflight.length).toBeGreaterThan(0);
    expect(killed.rows.filter((r) => r.status === 'rendered')).toEqual([]);
    expect(await listVideos(outDir())).toEqual([]);

    await resumeAndCheck({});

    const attempts = readJournal(project.dir, (journal) => journal.listAttempts());
    for (const paid of inflight) {
      // Polled to completion by the resumed run: the same attempt succeeded, and no second attempt was made for its clip.
      expect(attempts.find((a) => a.id === paid.id)?.status).toBe('succeeded');
      expect(attempts.filter((a) => a.clipId === paid.clipId)).toHaveLength(1);
    }
    // Whatever the kill caught before its task id was journaled is marked abandoned, never left running.
    expect(attempts.filter((a) => a.status === 'started' || a.status === 'submitted')).toEqual([]);
    const clips = new Set(attempts.map((a) => a.clipId));
    expect(clips.size).toBe(2);
    for (const clipId of clips) expect(attempts.filter((a) => a.clipId === clipId && a.status === 'succeeded'), clipId).toHaveLength(1);
  });

  it('killed inside a frame loop: the partial MP4 never gets a final name and is cleaned up; the finished video is untouched', async () => {
    let tempName = '';
    // One render worker, so rows render in order: ada (10 frames) is finished before grace (900 frames) starts,
    // and grace's temporary file appears while its frame loop has most of its frames still to go.
    const killInLoop = () =>
      killAt(async (run) => {
        const [, temp] = await Promise.all([
          waitForEntry(outDir(), (n) => n === 'ada-landscape.mp4', run.exited),
          waitForEntry(outDir(), (n) => n.startsWith('.grace-landscape.mp4.') && n.endsWith('.tmp.mp4'), run.exited),
        ]);
        tempName = temp;
        // Paced to ≥ 10 ms a frame: grace's loop lasts ≥ 9 s, however fast the machine captures, so the kill lands in it
        // even when this test process is slow to see the file on a loaded machine.
      }, ['--concurrency', '1'], PACED_RENDER);
    await killInLoop();
    // On an overloaded machine this process has been seen to kill after grace's loop had ended (a CI-like run with two
    // CPU burners): then the kill proved nothing, so start over on a fresh copy (at most three tries).
    for (let tries = 1; tries < 3 && (await listNames(outDir())).includes('grace-landscape.mp4'); tries++) {
      await project.remove();
      project = await copyProject('small');
      await killInLoop();
    }
    const namesAfterKill = await listNames(outDir());
    expect(namesAfterKill, JSON.stringify(namesAfterKill)).toContain(tempName);
    expect(namesAfterKill).not.toContain('grace-landscape.mp4');
    const finished = await finishedVideos();
    expect(Object.keys(finished)).toContain('ada-landscape.mp4');
    expect(Object.keys(finished)).not.toContain('grace-landscape.mp4');

    await resumeAndCheck(finished);
  });

  it('killed just after a final rename: the renamed video is complete and the batch still ends with each row rendered once', async () => {
    await killAt((run) => waitForEntry(outDir(), (n) => n === 'ada-landscape.mp4', run.exited));
    // The kill landed between the rename and the journal's commit, or just after it: either is a legal state.
    const finished = await finishedVideos();
    const onDisk = await listVideos(outDir());
    expect(onDisk).toContain('ada-landscape.mp4');
    for (const name of onDisk) expect((await probeMedia({ file: path.join(outDir(), name) })).video?.frameCount, name).toBe(FRAMES[name]);
    for (const name of Object.keys(finished)) expect(onDisk).toContain(name);

    await resumeAndCheck(finished);
  });
});

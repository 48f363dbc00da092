/**
 * Audio slots end to end: the real `reelwright render` on a temporary project whose template plays each row's
 * voice-over (an `audio` slot) with `<Audio>`: a path relative to the dataset, an empty optional cell, and a remote
 * URL fetched like a remote image (from a loopback server, so with --allow-private-media).
 */
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureAudioLevel, probeMedia, runFfmpeg } from '../../src/media/index.js';
import type { RunSummary } from '../../src/run/index.js';
import { lastJsonEvent, runCli } from '../helpers/cli.js';
import { copyProject, listVideos, type TempProject } from '../helpers/project.js';

const TEMPLATE = `import { AbsoluteFill, Audio, defineTemplate, type SlotMap, type SlotProps } from 'reelwright';

const slots = {
  name: { kind: 'text', maxLength: 40 },
  voice: { kind: 'audio', optional: true },
} as const satisfies SlotMap;

function VoiceCard({ name, voice }: SlotProps<typeof slots>) {
  return (
    <AbsoluteFill style={{ background: '#234', color: '#fff', fontFamily: 'sans-serif' }}>
      {name}
      {voice && <Audio src={voice} />}
    </AbsoluteFill>
  );
}

export default defineTemplate({ id: 'voice-card', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots, rowKey: 'name', component: VoiceCard });
`;

describe('reelwright render with an audio slot', () => {
  let project: TempProject;
  let remote: Server;
  let summary: RunSummary;

  beforeAll(async () => {
    project = await copyProject('small');
    await mkdir(project.path('templates', 'voice-card'), { recursive: true });
    await writeFile(project.path('templates', 'voice-card', 'index.tsx'), TEMPLATE);
    await mkdir(project.path('datasets', 'audio'), { recursive: true });
    const voice = project.path('datasets', 'audio', 'voice.m4a');
    await runFfmpeg({ args: ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=330:d=2', '-c:a', 'aac', '-y', voice] });
    const bytes = await readFile(voice);
    remote = createServer((_request, response) => response.writeHead(200, { 'content-type': 'audio/mp4' }).end(bytes));
    await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
    const port = (remote.address() as AddressInfo).port;
    await writeFile(project.path('datasets', 'voices.csv'), `name,voice\nada,audio/voice.m4a\nbo,\ncy,http://127.0.0.1:${port}/voice.m4a\n`);
    const result = await runCli(['render', 'datasets/voices.csv', '--template', 'voice-card', '--allow-private-media', '--json'], { cwd: project.dir });
    expect(result.code, result.stderr).toBe(0);
    summary = lastJsonEvent<RunSummary>(result, 'summary');
  });

  afterAll(async () => {
    remote?.close();
    await project?.remove();
  });

  it('mixes a local and a remote row audio file into their videos and leaves a row without one silent', async () => {
    expect(summary.counts).toMatchObject({ rows: 3, rendered: 3, failed: 0, invalid: 0 });
    const outDir = project.path('outputs', 'voice-card');
    expect(await listVideos(outDir)).toEqual(['ada.mp4', 'bo.mp4', 'cy.mp4']);
    for (const name of ['ada', 'cy']) {
      const file = project.path('outputs', 'voice-card', `${name}.mp4`);
      const info = await probeMedia({ file });
      expect(info.audio, name).toMatchObject({ codec: 'aac', sampleRate: 48_000, channels: 2 });
      expect((await measureAudioLevel({ file })).meanDb, name).toBeGreaterThan(-35);
    }
    expect((await probeMedia({ file: project.path('outputs', 'voice-card', 'bo.mp4') })).hasAudio).toBe(false);
  });

  it('refuses a row whose audio file does not exist, naming the row and the path', async () => {
    await writeFile(project.path('datasets', 'missing-voice.csv'), 'name,voice\ndee,audio/nope.m4a\n');
    const result = await runCli(['validate', 'datasets/missing-voice.csv', '--template', 'voice-card'], { cwd: project.dir });
    expect(result.code).not.toBe(0);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(/missing-voice\.csv line 2, column "voice": audio file not found: "audio\/nope\.m4a"/);
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession, bundleTemplate, renderVideo, serveFiles } from '../../render/index.js';
import type { FileServer } from '../../render/index.js';
import { loadTemplate } from '../index.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/templates/', import.meta.url));

describe('TemplateRoot props guard (real Chromium)', () => {
  let work: string;
  let cacheDir: string;
  let server: FileServer;
  let session: BrowserSession;

  const load = async (fixture: string) => {
    const entry = path.join(FIXTURES, fixture, 'index.tsx');
    return { bundle: await bundleTemplate({ entry, cacheDir }), template: (await loadTemplate({ entry, cacheDir })).definition };
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'rw-props-guard-'));
    cacheDir = path.join(work, 'cache');
    server = await serveFiles();
    session = await BrowserSession.launch({ width: 64, height: 36 });
  });

  afterAll(async () => {
    await session?.close();
    await server?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('fails the row while mounting (frame 0) when the component reads a misspelled slot, naming the template, the prop and the closest slot', async () => {
    const outDir = path.join(work, 'misspelled');
    const error = await renderVideo({
      session,
      server,
      ...(await load('misspelled-slot')),
      variant: 'default',
      props: { name: 'Ada' },
      clipFrames: {},
      outFile: path.join(outDir, 'ada.mp4'),
      randomSeed: 'ada',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RenderError', code: 'RW_TEMPLATE_RUNTIME' });
    const message = (error as Error).message;
    expect(message).toMatch(/template "misspelled-slot" variant "default" failed while mounting the row: TemplatePropError: Template "misspelled-slot" reads prop "nmae"/);
    expect(message).toContain('reads prop "nmae", which is not a slot');
    expect(message).toContain('Did you mean "name"?');
    expect(message).toContain('Declare it in slots or fix the spelling; `npm run typecheck` catches this before rendering.');
    expect(await readdir(outDir).catch(() => [])).toEqual([]);
  });

  it('lets a component spread its props, read an empty optional slot, test keys with `in`, list them and JSON.stringify them', async () => {
    const result = await renderVideo({
      session,
      server,
      ...(await load('props-probes')),
      variant: 'default',
      props: { name: 'Grace' },
      clipFrames: {},
      outFile: path.join(work, 'probes', 'grace.mp4'),
      randomSeed: 'grace',
    });
    expect(result.frames).toBe(3);
    const text = await session.evaluate({ expression: `document.querySelector('[data-testid="summary"]')?.textContent ?? null` });
    expect(text).toBe('no nickname | (none) | name | own name | {"name":"Grace"} | 1');
    expect(await session.evaluate({ expression: `document.querySelector('[data-testid="label"]')?.textContent ?? null` })).toBe('Grace');
  });
});

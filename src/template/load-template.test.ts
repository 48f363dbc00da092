import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate, resolveTemplateEntry } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));

describe('loadTemplate', () => {
  let cacheDir: string;
  let outside: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'rw-load-cache-'));
    outside = await mkdtemp(path.join(tmpdir(), 'rw-load-src-'));
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('loads a fixture template from a cache folder outside the project and checks its definition', async () => {
    const entry = path.join(FIXTURES, 'hello-card', 'index.tsx');
    const { definition, sourceHash, entry: loadedEntry } = await loadTemplate({ entry, cacheDir });
    expect(loadedEntry).toBe(entry);
    expect(definition.id).toBe('hello-card');
    expect(definition.fps).toBe(10);
    expect(Object.keys(definition.variants)).toEqual(['landscape', 'square']);
    expect(typeof definition.duration).toBe('function');
    expect(typeof definition.component).toBe('function');
    expect(sourceHash).toMatch(/^[0-9a-f]{64}$/);
    const compiled = await readdir(path.join(cacheDir, 'node'));
    expect(compiled).toHaveLength(1);
    expect(compiled[0]).toMatch(/^[0-9a-f]{64}\.mjs$/);
  });

  it('gives the same source hash for the same sources and a new one after an edit', async () => {
    const entry = path.join(outside, 'edited.tsx');
    const source = (text: string) => `import { defineTemplate, AbsoluteFill } from 'reelwright';
export default defineTemplate({ id: 'edited', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots: {},
  component: () => <AbsoluteFill>${text}</AbsoluteFill> });
`;
    await writeFile(entry, source('one'));
    const first = await loadTemplate({ entry, cacheDir });
    const again = await loadTemplate({ entry, cacheDir });
    expect(again.sourceHash).toBe(first.sourceHash);
    await writeFile(entry, source('two'));
    const edited = await loadTemplate({ entry, cacheDir });
    expect(edited.sourceHash).not.toBe(first.sourceHash);
  });

  it('imports react from reelwright for a template that lives outside the project', async () => {
    const entry = path.join(outside, 'uses-react.tsx');
    await writeFile(
      entry,
      `import { version } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { defineTemplate } from 'reelwright';
export default defineTemplate({ id: 'uses-react', version, fps: 10, width: 64, height: 36, duration: (row) => row.seconds,
  slots: { seconds: { kind: 'number' } }, component: () => <b>{renderToStaticMarkup(<i>x</i>)}</b> });
`,
    );
    const { definition } = await loadTemplate({ entry, cacheDir });
    expect(definition.version).toMatch(/^19\./);
    expect(typeof definition.duration === 'function' ? definition.duration({ seconds: 2.5 }) : null).toBe(2.5);
  });

  it('rejects a module whose default export did not come from defineTemplate with RW_TEMPLATE_INVALID', async () => {
    await expect(loadTemplate({ entry: path.join(FIXTURES, 'not-a-template', 'index.tsx'), cacheDir })).rejects.toMatchObject({
      name: 'TemplateError',
      code: 'RW_TEMPLATE_INVALID',
      message: expect.stringContaining('must `export default defineTemplate({...})`'),
    });
  });

  it('reports an invalid defineTemplate call with its own message', async () => {
    const entry = path.join(outside, 'odd-size.tsx');
    await writeFile(
      entry,
      `import { defineTemplate } from 'reelwright';
export default defineTemplate({ id: 'odd-size', version: '1', fps: 10, width: 65, height: 36, duration: 1, slots: {}, component: () => null });
`,
    );
    await expect(loadTemplate({ entry, cacheDir })).rejects.toMatchObject({ code: 'RW_TEMPLATE_INVALID', message: /even width and height/ });
  });

  it('refuses a B-roll firstFrame that does not name an image slot, naming the template, the B-roll slot and the bad name', async () => {
    const write = async (name: string, firstFrame: string) => {
      const entry = path.join(outside, `${name}.tsx`);
      await writeFile(
        entry,
        `import { defineTemplate } from 'reelwright';
export default defineTemplate({ id: '${name}', version: '1', fps: 10, width: 64, height: 36, duration: 1, component: () => null,
  slots: { city: { kind: 'text' }, photo: { kind: 'image' }, scene: { kind: 'broll', prompt: 'Dusk over {{city}}', seconds: 5, firstFrame: ${JSON.stringify(firstFrame)} } } });
`,
      );
      return entry;
    };
    await expect(loadTemplate({ entry: await write('misnamed-frame', 'phto'), cacheDir })).rejects.toMatchObject({
      name: 'TemplateError',
      code: 'RW_TEMPLATE_INVALID',
      message: expect.stringContaining('Template "misnamed-frame": broll slot "scene": firstFrame "phto" is not a slot of this template. Its image slots: "photo".'),
    });
    await expect(loadTemplate({ entry: await write('text-frame', 'city'), cacheDir })).rejects.toMatchObject({
      code: 'RW_TEMPLATE_INVALID',
      message: expect.stringContaining('Template "text-frame": broll slot "scene": firstFrame "city" is a text slot; it must name an image slot (kind: "image").'),
    });
    const good = await loadTemplate({ entry: await write('photo-frame', 'photo'), cacheDir });
    expect(good.definition.slots['scene']).toMatchObject({ kind: 'broll', firstFrame: 'photo' });
  });

  it('fails with RW_TEMPLATE_BUILD_FAILED and file:line:column on a syntax error', async () => {
    const entry = path.join(outside, 'syntax.tsx');
    await writeFile(entry, `import { defineTemplate } from 'reelwright';\n\nexport default defineTemplate({ id: 'x',, });\n`);
    const error = await loadTemplate({ entry, cacheDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RW_TEMPLATE_BUILD_FAILED' });
    expect((error as Error).message).toContain(`${entry}:3:`);
  });
});

describe('resolveTemplateEntry', () => {
  let templatesDir: string;

  beforeAll(async () => {
    templatesDir = await mkdtemp(path.join(tmpdir(), 'rw-templates-'));
    await mkdir(path.join(templatesDir, 'welcome'));
    await writeFile(path.join(templatesDir, 'welcome', 'index.tsx'), '');
    await mkdir(path.join(templatesDir, 'promo'));
    await writeFile(path.join(templatesDir, 'promo', 'index.ts'), '');
    await mkdir(path.join(templatesDir, 'empty'));
  });

  afterAll(async () => {
    await rm(templatesDir, { recursive: true, force: true });
  });

  it('finds index.tsx or index.ts inside the id folder', async () => {
    expect(await resolveTemplateEntry({ templatesDir, id: 'welcome' })).toBe(path.join(templatesDir, 'welcome', 'index.tsx'));
    expect(await resolveTemplateEntry({ templatesDir, id: 'promo' })).toBe(path.join(templatesDir, 'promo', 'index.ts'));
  });

  it('accepts a direct path to a folder or an entry file', async () => {
    expect(await resolveTemplateEntry({ templatesDir: '/nowhere', id: path.join(templatesDir, 'welcome') })).toBe(
      path.join(templatesDir, 'welcome', 'index.tsx'),
    );
    expect(await resolveTemplateEntry({ templatesDir: '/nowhere', id: path.join(templatesDir, 'promo', 'index.ts') })).toBe(
      path.join(templatesDir, 'promo', 'index.ts'),
    );
  });

  it('lists the available templates when the id is unknown', async () => {
    await expect(resolveTemplateEntry({ templatesDir, id: 'welcom' })).rejects.toMatchObject({
      name: 'TemplateError',
      code: 'RW_TEMPLATE_NOT_FOUND',
      message: expect.stringContaining('Available templates: promo, welcome.'),
    });
  });

  it('never lets an id climb out of the templates folder', async () => {
    await expect(resolveTemplateEntry({ templatesDir: path.join(templatesDir, 'welcome'), id: '..' })).rejects.toMatchObject({
      code: 'RW_TEMPLATE_NOT_FOUND',
    });
  });
});

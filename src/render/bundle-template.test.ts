import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../media/index.js';
import { bundleTemplate } from './index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/templates/', import.meta.url));
const HELLO = path.join(FIXTURES, 'hello-card', 'index.tsx');

describe('bundleTemplate', () => {
  let cacheDir: string;
  let outside: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'rw-bundle-cache-'));
    outside = await mkdtemp(path.join(tmpdir(), 'rw-bundle-src-'));
  });

  afterAll(async () => {
    await rm(cacheDir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('writes index.html and the bundle into a folder named by the content hash', async () => {
    const bundle = await bundleTemplate({ entry: HELLO, cacheDir });
    expect(bundle.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bundle.dir).toBe(path.join(cacheDir, 'bundles', bundle.hash));
    expect(bundle.entry).toBe(HELLO);
    expect(bundle.cached).toBe(false);
    const html = await readFile(bundle.htmlFile, 'utf8');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('html,body{margin:0;padding:0;overflow:hidden}');
    expect(html).toContain('<div id="root"></div>');
    expect(html).toContain('<script src="bundle.js"></script>');
    const js = await readFile(path.join(bundle.dir, 'bundle.js'), 'utf8');
    expect(js).toContain('mountPageHost');
    expect(js).toContain('hello-card');
    // React's production build, and no Node-only code in a browser bundle.
    expect(js).not.toContain('process.env.NODE_ENV');
    expect(js).not.toMatch(/require\("node:/);
    expect((await readdir(path.join(cacheDir, 'bundles'))).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('gives the same hash for the same sources and reuses the cached folder', async () => {
    const first = await bundleTemplate({ entry: HELLO, cacheDir });
    const second = await bundleTemplate({ entry: HELLO, cacheDir });
    expect(second.hash).toBe(first.hash);
    expect(second.cached).toBe(true);
  });

  it('gives a new hash when a source changes, and a different one for studio mode', async () => {
    const entry = path.join(outside, 'changing.tsx');
    const source = (color: string) => `import { defineTemplate, AbsoluteFill } from 'reelwright';
export default defineTemplate({ id: 'changing', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots: {},
  component: () => <AbsoluteFill style={{ background: '${color}' }} /> });
`;
    await writeFile(entry, source('#ff0000'));
    const red = await bundleTemplate({ entry, cacheDir });
    await writeFile(entry, source('#0000ff'));
    const blue = await bundleTemplate({ entry, cacheDir });
    expect(blue.hash).not.toBe(red.hash);
    const studio = await bundleTemplate({ entry, cacheDir, mode: 'studio' });
    expect(studio.hash).not.toBe(blue.hash);
    expect(await readFile(path.join(studio.dir, 'bundle.js'), 'utf8')).toContain('sourceMappingURL=data:application/json;base64,');
  });

  it('bundles a template outside the project with one React from reelwright and copies imported images', async () => {
    const dir = path.join(outside, 'with-logo');
    await rm(dir, { recursive: true, force: true });
    await runFfmpeg({ args: ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=8x8', '-frames:v', '1', path.join(outside, 'logo.png')] });
    await writeFile(
      path.join(outside, 'with-logo.tsx'),
      `import logo from './logo.png';
import { useState } from 'react';
import { defineTemplate, Img } from 'reelwright';
function Card() { const [src] = useState(logo); return <Img src={src} />; }
export default defineTemplate({ id: 'with-logo', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots: {}, component: Card });
`,
    );
    const bundle = await bundleTemplate({ entry: path.join(outside, 'with-logo.tsx'), cacheDir });
    const assets = await readdir(path.join(bundle.dir, 'assets'));
    expect(assets).toHaveLength(1);
    expect(assets[0]).toMatch(/^logo-[A-Z0-9]+\.png$/);
    const js = await readFile(path.join(bundle.dir, 'bundle.js'), 'utf8');
    expect(js).toContain(`./assets/${assets[0]}`);
    // esbuild heads each bundled module with a `// <path>` comment: exactly one copy of React.
    expect(js.match(/^ {2}\/\/ .*node_modules\/react\/cjs\/react\.production\.js$/gm)).toEqual(['  // node_modules/react/cjs/react.production.js']);
  });

  it('fails with RW_TEMPLATE_BUILD_FAILED naming file:line:column when the template does not compile', async () => {
    const entry = path.join(outside, 'broken.tsx');
    await writeFile(entry, `import { defineTemplate } from 'reelwright';\nconst x = ;\nexport default defineTemplate(x);\n`);
    const error = await bundleTemplate({ entry, cacheDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TemplateError', code: 'RW_TEMPLATE_BUILD_FAILED' });
    expect((error as Error).message).toContain(`${entry}:2:11: Unexpected ";"`);
    expect((error as Error).message).toContain('2 | const x = ;');
  });

  it('fails with RW_TEMPLATE_BUILD_FAILED when an import cannot be resolved', async () => {
    const entry = path.join(outside, 'missing-import.tsx');
    await writeFile(entry, `import { helper } from './no-such-file.js';\nexport default helper;\n`);
    await expect(bundleTemplate({ entry, cacheDir })).rejects.toMatchObject({
      code: 'RW_TEMPLATE_BUILD_FAILED',
      message: expect.stringMatching(/missing-import\.tsx:1:\d+: Could not resolve "\.\/no-such-file\.js"/),
    });
  });

  it('fails with RW_TEMPLATE_NOT_FOUND for a missing entry', async () => {
    await expect(bundleTemplate({ entry: path.join(outside, 'nope.tsx'), cacheDir })).rejects.toMatchObject({ code: 'RW_TEMPLATE_NOT_FOUND' });
  });
});

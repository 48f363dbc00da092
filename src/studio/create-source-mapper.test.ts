import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleTemplate } from '../render/index.js';
import { createSourceMapper } from './create-source-mapper.js';

const TEMPLATE = `import { AbsoluteFill, defineTemplate, type SlotMap, type SlotProps } from 'reelwright';
const slots = { name: { kind: 'text' } } as const satisfies SlotMap;
function Card({ name }: SlotProps<typeof slots>) {
  const shout = name.toUpperCase();
  return <AbsoluteFill>{shout}</AbsoluteFill>;
}
export default defineTemplate({ id: 'mapped', version: '1', fps: 10, width: 64, height: 36, duration: 1, slots, component: Card });
`;

describe('createSourceMapper', () => {
  let root: string;
  let bundleDir: string;
  let code: string[];

  beforeAll(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'rw-source-map-')));
    await writeFile(path.join(root, 'index.tsx'), TEMPLATE);
    const bundle = await bundleTemplate({ entry: path.join(root, 'index.tsx'), cacheDir: path.join(root, 'cache'), mode: 'studio' });
    bundleDir = bundle.dir;
    code = (await readFile(path.join(bundleDir, 'bundle.js'), 'utf8')).split('\n');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("maps a bundle.js position back to the template's own file, line and column", async () => {
    const line = code.findIndex((text) => text.includes('name.toUpperCase()')) + 1;
    const column = (code[line - 1] as string).indexOf('name.toUpperCase()') + 1;
    const [location] = await createSourceMapper().resolve({ bundleDir, positions: [{ line, column }], relativeTo: root });
    expect(location).toEqual({ file: 'index.tsx', line: 4, column: 17 });
  });

  it('answers null for positions without a mapping or a bundle without a map', async () => {
    const mapper = createSourceMapper();
    expect(await mapper.resolve({ bundleDir, positions: [{ line: code.length + 50, column: 1 }], relativeTo: root })).toEqual([null]);
    expect(await mapper.resolve({ bundleDir: path.join(root, 'nothing'), positions: [{ line: 1, column: 1 }], relativeTo: root })).toEqual([null]);
  });
});

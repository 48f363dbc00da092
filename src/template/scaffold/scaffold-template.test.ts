import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../errors/index.js';
import { checkTemplateId, scaffoldTemplate } from './scaffold-template.js';

function fileOf(files: { path: string; content: string }[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return file.content;
}

describe('scaffoldTemplate', () => {
  it('writes the template, its README, a 3-row dataset and the logo that dataset names', async () => {
    const { files, dataset } = await scaffoldTemplate({ id: 'spring-promo', withBroll: false });
    expect(files.map((f) => f.path)).toEqual(['templates/spring-promo/index.tsx', 'templates/spring-promo/README.md', 'datasets/spring-promo.csv', 'datasets/spring-promo-logo.svg']);
    expect(dataset).toBe('datasets/spring-promo.csv');
    const csv = fileOf(files, dataset).trim().split('\n');
    expect(csv[0]).toBe('name,accent,logo');
    expect(csv).toHaveLength(4);
    expect(csv[1]).toContain('spring-promo-logo.svg');
  });

  it('puts the id in the source and leaves out the B-roll slot and every marker without withBroll', async () => {
    const { files } = await scaffoldTemplate({ id: 'spring-promo', withBroll: false });
    const source = fileOf(files, 'templates/spring-promo/index.tsx');
    expect(source).toContain("id: 'spring-promo'");
    expect(source).toMatch(/defineTemplate\(/);
    expect(source).toContain("fontFamily: FONT");
    expect(source).not.toMatch(/@broll|BRoll|props\.background|\bcity\b|my-template/);
  });

  it('keys rows by name and names the files after the person, and says so in the README', async () => {
    const { files } = await scaffoldTemplate({ id: 'spring-promo', withBroll: false });
    const source = fileOf(files, 'templates/spring-promo/index.tsx');
    expect(source).toContain("rowKey: 'name',");
    expect(source).toContain("outputName: '{{name}}-{{variant}}',");
    expect(source).toContain('outputs/spring-promo/Ada Lovelace-landscape.mp4');
    const readme = fileOf(files, 'templates/spring-promo/README.md');
    expect(readme).toContain('outputs/spring-promo/Ada Lovelace-landscape.mp4');
    expect(readme).toContain("`rowKey: 'name'`");
  });

  it('keeps the city text slot and the local B-roll slot with withBroll, and adds a city column', async () => {
    const { files } = await scaffoldTemplate({ id: 'city-tour', withBroll: true });
    const source = fileOf(files, 'templates/city-tour/index.tsx');
    expect(source).toContain("prompt: 'Slow cinematic aerial footage of {{city}} at dusk, soft light', seconds: 5, provider: 'local'");
    expect(source).toContain('<BRoll src={props.background}');
    expect(source).not.toContain('@broll');
    expect(fileOf(files, 'datasets/city-tour.csv').split('\n')[0]).toBe('name,accent,logo,city');
    expect(fileOf(files, 'templates/city-tour/README.md')).toContain('| `background` | broll');
  });
});

describe('checkTemplateId', () => {
  it('accepts lowercase letters, digits and dashes', () => {
    for (const id of ['a', 'hello-test', '2026-recap', 'x'.repeat(64)]) expect(() => checkTemplateId(id), id).not.toThrow();
  });

  it('refuses anything else with RW_TEMPLATE_ID_INVALID, saying what is allowed and suggesting a fix', () => {
    for (const id of ['', 'Hello', 'hello_test', '-start', 'a/b', '../x', 'x'.repeat(65), 'café']) {
      expect(() => checkTemplateId(id), id).toThrow(TemplateError);
      expect(() => checkTemplateId(id), id).toThrow(/lowercase letters a-z, digits 0-9 and dashes/);
    }
    expect(() => checkTemplateId('Spring Promo')).toThrow('Try "spring-promo".');
  });
});

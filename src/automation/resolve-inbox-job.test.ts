import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInboxDataFile, resolveInboxJob } from './index.js';

describe('resolveInboxJob', () => {
  let dir: string;
  const known = ['welcome', 'recap', 'year-in-review'];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'rw-job-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the template from the part of the name before the first "--"', async () => {
    const job = await resolveInboxJob({ file: path.join(dir, 'year-in-review--2025--final.csv'), defaultTemplate: 'welcome', knownTemplates: known });
    expect(job).toEqual({ template: 'year-in-review', templateSource: 'file-name', variants: null, outputName: null, sidecar: null });
  });

  it('lets a sidecar win over the naming rule and carries its variants and output name', async () => {
    const file = path.join(dir, 'recap--may.csv');
    await writeFile(`${file}.reelwright.json`, JSON.stringify({ template: 'welcome', variants: ['landscape', 'square'], name: '{{name}}-{{city}}' }));
    expect(await resolveInboxJob({ file, knownTemplates: known })).toEqual({
      template: 'welcome',
      templateSource: 'sidecar',
      variants: ['landscape', 'square'],
      outputName: '{{name}}-{{city}}',
      sidecar: `${file}.reelwright.json`,
    });
  });

  it('keeps sidecar variants while the template comes from the naming rule when the sidecar names none', async () => {
    const file = path.join(dir, 'recap--may.csv');
    await writeFile(`${file}.reelwright.json`, JSON.stringify({ variants: ['portrait'] }));
    expect(await resolveInboxJob({ file, knownTemplates: known })).toMatchObject({ template: 'recap', templateSource: 'file-name', variants: ['portrait'] });
  });

  it('falls back to the default template and fails clearly without one', async () => {
    const file = path.join(dir, 'leads.csv');
    expect(await resolveInboxJob({ file, defaultTemplate: 'welcome' })).toMatchObject({ template: 'welcome', templateSource: 'default' });
    await expect(resolveInboxJob({ file })).rejects.toMatchObject({ code: 'RW_INBOX_NO_TEMPLATE', message: expect.stringMatching(/"leads\.csv".*--template <id>/) });
  });

  it('refuses a naming-rule prefix that is not a known template instead of rendering the default', async () => {
    await expect(resolveInboxJob({ file: path.join(dir, 'recpa--may.csv'), defaultTemplate: 'welcome', knownTemplates: known })).rejects.toMatchObject({
      code: 'RW_INBOX_UNKNOWN_TEMPLATE',
      message: expect.stringMatching(/template "recpa".*Known templates: welcome, recap, year-in-review/),
    });
  });

  it('refuses a sidecar with a typo in a field name, bad JSON, or wrong field types, naming the sidecar', async () => {
    const file = path.join(dir, 'leads.csv');
    const sidecar = `${file}.reelwright.json`;
    const cases: [string, RegExp][] = [
      ['{"tempalte": "recap"}', /unknown field\(s\) "tempalte"/],
      ['{"template": "recap",}', /not valid JSON/],
      ['["recap"]', /must be a JSON object/],
      ['{"variants": "landscape"}', /"variants" must be a non-empty array/],
      ['{"template": ""}', /"template" must be a non-empty string/],
    ];
    for (const [text, pattern] of cases) {
      await writeFile(sidecar, text);
      await expect(resolveInboxJob({ file, defaultTemplate: 'welcome' })).rejects.toMatchObject({ code: 'RW_INBOX_BAD_SIDECAR', message: expect.stringMatching(pattern) });
    }
    await writeFile(sidecar, '{"template": "ghost"}');
    await expect(resolveInboxJob({ file, knownTemplates: known })).rejects.toMatchObject({ code: 'RW_INBOX_UNKNOWN_TEMPLATE' });
  });
});

describe('isInboxDataFile', () => {
  it('accepts the five dataset extensions in any case and ignores temporary, hidden and sidecar files', () => {
    expect(['a.csv', 'B.TSV', 'c.json', 'd.ndjson', 'e.jsonl', 'recap--x.csv'].map(isInboxDataFile)).toEqual([true, true, true, true, true, true]);
    expect(
      ['.a.csv', 'a.csv.part', 'a.csv.tmp', 'a.csv.crdownload', 'a.csv.reelwright.json', '~$a.csv', 'a.csv~', 'a.xlsx', '.csv'].map(isInboxDataFile),
    ).toEqual([false, false, false, false, false, false, false, false, false]);
  });
});

import { readFile } from 'node:fs/promises';
import { TemplateError } from '../../errors/index.js';

/** What a template id may look like (the same rule as `defineTemplate`'s `id`). */
export const TEMPLATE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The id written in the starter source, replaced by the new template's id. */
const STARTER_ID = 'my-template';

/** The starter component (a real template, typechecked with the repository: the `--with-broll` version). */
const STARTER_SOURCE = new URL('./starter-template.tsx', import.meta.url);

/** Options for `scaffoldTemplate`. */
export type ScaffoldTemplateOptions = {
  /** The new template's id: lowercase letters, digits and dashes, starting with a letter or digit. */
  id: string;
  /** Add a `city` text slot and a local-provider B-roll slot whose prompt uses `{{city}}`. */
  withBroll: boolean;
};

/** One file of a scaffold, relative to the project folder (always `/`-separated). */
export type ScaffoldFile = { path: string; content: string };

/** Result of `scaffoldTemplate`. */
export type ScaffoldTemplateResult = {
  /** Template entry, template README, sample dataset and its logo, relative to the project folder. */
  files: ScaffoldFile[];
  /** The sample dataset's path relative to the project folder. */
  dataset: string;
};

/** Throws a `TemplateError` (`RW_TEMPLATE_ID_INVALID`) saying what is allowed, unless `id` is a valid template id. */
export function checkTemplateId(id: string): void {
  if (TEMPLATE_ID_PATTERN.test(id)) return;
  const suggestion = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  const tryThis = TEMPLATE_ID_PATTERN.test(suggestion) && suggestion !== id ? ` Try "${suggestion}".` : '';
  throw new TemplateError(
    `Invalid template id ${JSON.stringify(id)}: use lowercase letters a-z, digits 0-9 and dashes, starting with a letter or digit, at most 64 characters (e.g. "spring-promo"). The id is the template's folder name under templates/.${tryThis}`,
    { code: 'RW_TEMPLATE_ID_INVALID' },
  );
}

/**
 * Keeps or drops the `@broll-begin` … `@broll-end` blocks of the starter source and removes the marker lines,
 * then puts the new id in place of the starter's.
 */
export function buildStarterSource(source: string, options: ScaffoldTemplateOptions): string {
  const out: string[] = [];
  let inBroll = false;
  for (const line of source.split('\n')) {
    if (line.includes('@broll-begin')) {
      inBroll = true;
      continue;
    }
    if (line.includes('@broll-end')) {
      inBroll = false;
      continue;
    }
    if (inBroll && !options.withBroll) continue;
    out.push(line);
  }
  return out.join('\n').replaceAll(STARTER_ID, options.id);
}

function starterReadme(options: ScaffoldTemplateOptions, dataset: string): string {
  const { id, withBroll } = options;
  const lines = [
    `# ${id}`,
    '',
    `Made with \`reelwright new ${id}${withBroll ? ' --with-broll' : ''}\`: a 4 s greeting at 30 fps in two variants,`,
    '`landscape` 1280×720 (the default) and `vertical` 720×1280. The logo (or a monogram) springs in, "Hello,"',
    'and the name rise, an accent bar grows, a tagline fades in, then the frame holds still (the renderer',
    'reuses still frames, so the hold costs almost nothing to render).',
    '',
    '## Slots',
    '',
    '| slot | kind | notes |',
    '| --- | --- | --- |',
    '| `name` | text, required, ≤ 40 | the big line; also gives the monogram letter |',
    '| `accent` | color, default `#4f46e5` | glow, monogram tile and bar |',
    '| `logo` | image, optional | an `https://` URL or a path relative to the dataset file; empty → monogram |',
  ];
  if (withBroll) {
    lines.push(
      '| `city` | text, required, ≤ 60 | fills the B-roll prompt |',
      '| `background` | broll, 5 s, provider `local` | prompt: "Slow cinematic aerial footage of {{city}} at dusk, soft light"; the local provider makes a free placeholder clip with ffmpeg |',
    );
  }
  lines.push(
    '',
    `Sample data: \`${dataset}\` (3 rows).`,
    '',
    '## Preview and render',
    '',
    '```sh',
    '# check every row of the sample (prints each problem, exit 1 when a row is invalid)',
    `npx reelwright validate ${dataset} -t ${id}`,
    `# live preview with hot reload: pick "${id}" (its sample ${dataset} comes with it)`,
    'npx reelwright studio',
    `# one MP4 per row and variant, named after the person: outputs/${id}/Ada Lovelace-landscape.mp4;`,
    '# add --variants landscape,vertical for both sizes, --limit 1 for one row',
    `npx reelwright render ${dataset} -t ${id}`,
    '```',
    '',
    "The `name` slot is the row's key (`rowKey: 'name'`) and names the files (`outputName: '{{name}}-{{variant}}'`):",
    'fix a typo in a cell and the next `render` replaces that same file, instead of writing a second video',
    "under a new row hash and leaving the old one behind. So each row needs its own name; when names can repeat,",
    'add an `id` (or email) slot and column and use it as `rowKey` (keep `{{name}}` in `outputName`: a name two',
    'rows share gets a `-2` suffix).',
    '',
    'Edit `index.tsx`: add a slot, give it a column in the CSV, and use it in the component (its props are',
    'typed from the slots, so the editor flags a misspelled slot name). The next `render` renders the videos',
    'again, since the template code is part of what each video is made from; with nothing changed it renders nothing.',
  );
  if (withBroll) {
    lines.push(
      '',
      "For real footage set the `background` slot's `provider` to `runway` or `luma` (with a `model`) and export",
      'the API key; `npx reelwright plan` shows what each row would cost before anything is spent.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function starterDataset(options: ScaffoldTemplateOptions): string {
  const logo = `${options.id}-logo.svg`;
  const rows = options.withBroll
    ? [
        ['name', 'accent', 'logo', 'city'],
        ['Ada Lovelace', '#4f46e5', logo, 'London'],
        ['Grace Hopper', '#0ea5e9', '', 'New York'],
        ['José Álvarez', '', '', 'Lisbon'],
      ]
    : [
        ['name', 'accent', 'logo'],
        ['Ada Lovelace', '#4f46e5', logo],
        ['Grace Hopper', '#0ea5e9', ''],
        ['José Álvarez', '', ''],
      ];
  return `${rows.map((row) => row.join(',')).join('\n')}\n`;
}

function starterLogo(): string {
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">',
    '  <rect x="10" y="10" width="100" height="100" rx="24" fill="#0b1020"/>',
    '  <circle cx="48" cy="60" r="26" fill="#4f46e5"/>',
    '  <circle cx="72" cy="60" r="26" fill="#0ea5e9" fill-opacity="0.8"/>',
    '</svg>',
    '',
  ].join('\n');
}

/**
 * The files of a new template: `templates/<id>/index.tsx` (a commented starter), `templates/<id>/README.md`,
 * `datasets/<id>.csv` (3 valid rows) and the logo one row uses. Writes nothing.
 *
 * @example
 * const { files } = await scaffoldTemplate({ id: 'spring-promo', withBroll: false });
 */
export async function scaffoldTemplate(options: ScaffoldTemplateOptions): Promise<ScaffoldTemplateResult> {
  checkTemplateId(options.id);
  const source = await readFile(STARTER_SOURCE, 'utf8');
  const dataset = `datasets/${options.id}.csv`;
  return {
    dataset,
    files: [
      { path: `templates/${options.id}/index.tsx`, content: buildStarterSource(source, options) },
      { path: `templates/${options.id}/README.md`, content: starterReadme(options, dataset) },
      { path: dataset, content: starterDataset(options) },
      { path: `datasets/${options.id}-logo.svg`, content: starterLogo() },
    ],
  };
}

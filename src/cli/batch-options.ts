import type { Command } from 'commander';
import { parseList, parseMapEntry, parsePositiveInt, parseUsd } from './parse-options.js';

/** Flags shared by `plan` and `render` (and so by `watch` and `schedule … render`). */
export type BatchFlags = {
  template: string;
  out?: string;
  limit?: number;
  name?: string;
  variants?: string[];
  map?: Record<string, string>;
  assetsDir?: string;
  draft?: boolean;
  force?: boolean;
  provider?: string;
  model?: string;
  budget?: number;
  retryRefused?: boolean;
  project?: string;
};

/** The commands that take the batch options; each keeps its own docs line where the flag means something a little different there. */
export type BatchCommand = 'plan' | 'render';

/** One batch option: its flag, its docs line per command and, for options with a value, its parser. */
type BatchOptionSpec = {
  flags: string;
  description: Readonly<Record<BatchCommand, string>>;
  parse?: (value: string) => unknown;
};

/** `--template`: required on `plan`, `render` and `schedule`; optional (a default) on `watch`. */
const TEMPLATE_OPTION = {
  flags: '-t, --template <id>',
  description: { plan: 'template id or path', render: 'template id (a folder under templates/) or path' },
  optionalDescription: 'default template id',
} as const;

/** `--assets-dir`: shared by `plan`, `render` (so `watch` and `schedule … render`) and `validate`. */
export const ASSETS_DIR_OPTION = {
  flags: '--assets-dir <dir>',
  description: "folder that relative image paths in the dataset start in; images must stay inside it (default: the dataset file's folder)",
} as const;

/** The batch options after `--template`, in the order `--help` lists them; `--project` comes last, after a command's own options. */
const BATCH_OPTIONS: readonly BatchOptionSpec[] = [
  { flags: '-o, --out <dir>', description: { plan: 'output folder (default outputs/<template>)', render: 'output folder (default outputs/<template>)' } },
  { flags: '--limit <n>', description: { plan: 'only the first N valid rows', render: 'render only the first N valid rows' }, parse: parsePositiveInt },
  {
    flags: '--name <pattern>',
    description: {
      plan: 'Handlebars pattern for output names, e.g. "{{company}}-{{name}}"',
      render: 'Handlebars pattern for output file names, e.g. "{{company}}-{{name}}" (sanitized, kept inside --out)',
    },
  },
  { flags: '--variants <list>', description: { plan: 'variants to render, comma-separated', render: 'variants to render, comma-separated (default: the template\'s first)' }, parse: parseList },
  { flags: '--map <column=slot>', description: { plan: 'map a column to a slot (repeatable)', render: 'map a dataset column to a slot (repeatable)' }, parse: parseMapEntry },
  { flags: ASSETS_DIR_OPTION.flags, description: { plan: ASSETS_DIR_OPTION.description, render: ASSETS_DIR_OPTION.description } },
  { flags: '--force', description: { plan: 'plan to re-render up-to-date videos too', render: 're-render videos that are already up to date' } },
  {
    flags: '--draft',
    description: {
      plan: 'plan with draft models (the free local provider for slots without a draftModel)',
      render: 'cheap iteration: each slot’s draftModel (the free local provider when it has none), cached apart from final clips',
    },
  },
  { flags: '--provider <id>', description: { plan: 'use this provider for every B-roll slot (local, runway, luma)', render: 'use this provider for every B-roll slot (local, runway, luma)' } },
  { flags: '--model <name>', description: { plan: 'model for --provider', render: 'model for --provider' } },
  {
    flags: '--budget <usd>',
    description: { plan: 'refuse (exit 1) when the estimate is over this many dollars', render: 'no new paid clip attempt starts past this many dollars; rows left are skipped' },
    parse: parseUsd,
  },
  {
    flags: '--retry-refused',
    description: {
      plan: 'plan clips a provider’s input moderation refused in an earlier run as new (and price them) instead of "refused earlier"',
      render: 'submit clips a provider’s input moderation refused in an earlier run again (by default their rows fail at once, without a call)',
    },
  },
];

const PROJECT_OPTION: BatchOptionSpec = {
  flags: '--project <dir>',
  description: { plan: 'project folder (default: current folder)', render: 'project folder (default: current folder)' },
};

/** Options of `addBatchOptions`. */
export type AddBatchOptionsOptions = {
  /** Which command's docs lines to use. */
  for: BatchCommand;
  /** Whether `--template` is required (`plan`, `render`, `schedule`) or a default (`watch`). */
  template: 'required' | 'optional';
  /** Adds the command's own options, listed between the batch options and `--project`. */
  addOwnOptions?: (command: Command) => Command;
};

/**
 * Adds the options `plan` and `render` share (template, out, limit, name, variants, map, assets-dir, force,
 * draft, provider, model, budget, retry-refused, project): each flag and parser is defined here once.
 */
export function addBatchOptions(command: Command, options: AddBatchOptionsOptions): Command {
  if (options.template === 'required') command.requiredOption(TEMPLATE_OPTION.flags, TEMPLATE_OPTION.description[options.for]);
  else command.option(TEMPLATE_OPTION.flags, TEMPLATE_OPTION.optionalDescription);
  const add = (spec: BatchOptionSpec) => {
    const description = spec.description[options.for];
    if (spec.parse) command.option(spec.flags, description, spec.parse);
    else command.option(spec.flags, description);
  };
  for (const spec of BATCH_OPTIONS) add(spec);
  options.addOwnOptions?.(command);
  add(PROJECT_OPTION);
  return command;
}

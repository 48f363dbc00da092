import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { openClipCache, parseAge, parseSize, type ClipCache, type ClipCacheEntry, type ClipId } from '../../clips/index.js';
import { ConfigError } from '../../errors/index.js';
import { acquireRunLock, openJournal } from '../../journal/index.js';
import { log } from '../../log/index.js';
import { projectPaths } from '../../run/index.js';
import { EXIT_SOME_FAILED } from '../exit-codes.js';
import { ExitRequest } from '../exit-request.js';
import { plural } from '../plural.js';

const logOptions = { logLevel: 'info' as const, tag: 'cache' };

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function withCache<T>(project: string | undefined, work: (cache: ClipCache) => Promise<T> | T): Promise<T> {
  const paths = projectPaths({ projectDir: project ?? null });
  mkdirSync(paths.stateDir, { recursive: true });
  const cache = openClipCache({ stateDir: paths.stateDir });
  return Promise.resolve()
    .then(() => work(cache))
    .finally(() => cache.close());
}

/** Finds one cached clip by its full key or a unique prefix (as `cache ls` prints it). */
function resolveKey(cache: ClipCache, key: string): ClipId {
  const found = cache.findByPrefix(key);
  if (found.length === 1) return (found[0] as ClipCacheEntry).clipId;
  if (found.length === 0) throw new ConfigError(`No cached clip has a key starting with "${key}". See \`reelwright cache ls\`.`, { code: 'RW_CACHE_UNKNOWN_CLIP' });
  throw new ConfigError(`"${key}" matches ${found.length} cached clips; give more characters of the key.`, { code: 'RW_CACHE_AMBIGUOUS_KEY' });
}

/** `reelwright cache ls|pin|unpin|prune|verify`: the content-addressed clip cache. */
export function registerCacheCommand(program: Command): void {
  const cache = program
    .command('cache')
    .description('Inspect and maintain the clip cache (.reelwright/clips).')
    .addHelpText('after', '\nExamples:\n  $ reelwright cache ls\n  $ reelwright cache pin 3fa9c2\n  $ reelwright cache prune --older-than 30d\n  $ reelwright cache verify');
  cache
    .command('ls')
    .description('List cached clips with provider, model, cost and prompt.')
    .option('--json', 'print JSON on stdout')
    .option('--project <dir>', 'project folder')
    .addHelpText('after', '\nExamples:\n  $ reelwright cache ls\n  $ reelwright cache ls --json > clips.json')
    .action((flags: { json?: boolean; project?: string }) =>
      withCache(flags.project, (c) => {
        const entries = c.list();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
          return;
        }
        for (const e of entries) {
          const cost = e.costUsd === null ? '   ?   ' : `$${e.costUsd.toFixed(2).padStart(6)}`;
          log.info(logOptions, `${e.clipId.slice(0, 12)} ${e.pinned ? pc.cyan('pinned') : '      '} ${e.draft ? 'draft' : 'final'} ${cost} ${mb(e.bytes).padStart(8)} ${e.provider}:${e.model} "${e.prompt.slice(0, 60)}"`);
        }
        const total = entries.reduce((sum, e) => sum + e.bytes, 0);
        log.info(logOptions, `${plural(entries.length, 'clip')}, ${mb(total)}.`);
      }),
    );
  for (const [name, pin] of [
    ['pin', true],
    ['unpin', false],
  ] as const) {
    cache
      .command(`${name} <key>`)
      .description(pin ? 'Keep a clip forever: prune never removes a pinned clip.' : 'Let prune remove a clip again.')
      .option('--project <dir>', 'project folder')
      .addHelpText('after', `\nExamples:\n  $ reelwright cache ${name} 3fa9c2   (a key prefix as \`cache ls\` prints it)`)
      .action((key: string, flags: { project?: string }) =>
        withCache(flags.project, (c) => {
          const id = resolveKey(c, key);
          if (pin) c.pin(id);
          else c.unpin(id);
          log.info(logOptions, `${pin ? 'Pinned' : 'Unpinned'} ${id}.`);
        }),
      );
  }
  cache
    .command('prune')
    .description('Remove old or excess clips; never a pinned clip or one an unfinished run still needs.')
    .option('--older-than <age>', 'remove clips unused for this long, e.g. 30d, 12h')
    .option('--max-size <size>', 'then remove least recently used clips until the cache fits, e.g. 10GB')
    .option('--dry-run', 'only say what would be removed')
    .option('--project <dir>', 'project folder')
    .addHelpText('after', '\nExamples:\n  $ reelwright cache prune --older-than 30d\n  $ reelwright cache prune --max-size 10GB --dry-run')
    .action(async (flags: { olderThan?: string; maxSize?: string; dryRun?: boolean; project?: string }) => {
      if (!flags.olderThan && !flags.maxSize) throw new ConfigError('cache prune needs --older-than and/or --max-size.', { code: 'RW_CONFIG_INVALID' });
      const paths = projectPaths({ projectDir: flags.project ?? null });
      mkdirSync(paths.stateDir, { recursive: true });
      // Holding the run lock means no render can start using a clip while it is being removed.
      const lock = await acquireRunLock({ stateDir: paths.stateDir, command: 'cache prune' });
      try {
        const journal = openJournal({ file: paths.journalFile });
        const protect = journal.listProtectedClipIds();
        journal.close();
        await withCache(flags.project, async (c) => {
          const result = await c.prune({
            ...(flags.olderThan ? { olderThanMs: parseAge(flags.olderThan) } : {}),
            ...(flags.maxSize ? { maxBytes: parseSize(flags.maxSize) } : {}),
            protect,
            dryRun: flags.dryRun ?? false,
          });
          for (const e of result.removed) log.info(logOptions, `${flags.dryRun ? 'would remove' : 'removed'} ${e.clipId.slice(0, 12)} ${mb(e.bytes)} "${e.prompt.slice(0, 60)}"`);
          log.info(logOptions, `${plural(result.removed.length, 'clip')} ${flags.dryRun ? 'would be ' : ''}removed, ${mb(result.freedBytes)} freed, ${mb(result.remainingBytes)} left.`);
          if (result.overLimit) log.info(logOptions, pc.yellow('Pinned and in-use clips alone are over --max-size.'));
        });
      } finally {
        lock.release();
      }
    });
  cache
    .command('verify')
    .description('Re-hash every cached file; report and quarantine corrupt ones (exit 1 when any is found).')
    .option('--project <dir>', 'project folder')
    .addHelpText('after', '\nExamples:\n  $ reelwright cache verify\n  $ reelwright cache verify --project ~/videos/spring-campaign')
    .action((flags: { project?: string }) =>
      withCache(flags.project, async (c) => {
        const result = await c.verify();
        for (const bad of result.corrupt) log.info(logOptions, pc.red(`corrupt: ${JSON.stringify(bad)}`));
        for (const gone of result.missing) log.info(logOptions, pc.red(`missing file: ${gone.clipId.slice(0, 12)} (${gone.file})`));
        log.info(logOptions, `${plural(result.checked, 'file')} checked: ${result.ok} ok, ${result.corrupt.length} corrupt (quarantined), ${result.missing.length} missing.`);
        if (result.corrupt.length + result.missing.length > 0) throw new ExitRequest(EXIT_SOME_FAILED);
      }),
    );
}

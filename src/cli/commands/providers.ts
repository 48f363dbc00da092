import type { Command } from 'commander';
import pc from 'picocolors';
import { PROVIDER_ENV, readBalance } from '../../clips/index.js';
import { log } from '../../log/index.js';
import { DEFAULT_PROVIDER_MODELS, loadConfig } from '../../run/index.js';

/** A base URL as shown: user and password (a reseller URL may carry them) are masked. */
function showUrl(value: string | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = '***';
      url.password = '';
    }
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

type ProviderStatus = {
  id: string;
  defaultModel: string;
  keyVariable: string | null;
  /** Whether the key variable is set; the key itself is never printed. */
  keyPresent: boolean;
  baseURL: string | null;
  /** Where `baseURL` comes from. */
  baseURLSource: 'config' | 'env' | null;
  /** Generations in flight at once, and create calls a minute (null: no limit). */
  limits: { concurrency: number; requestsPerMinute: number | null } | null;
  balanceUsd: number | null;
  error: string | null;
};

/** `reelwright providers`: configured providers, whether each key is set (never the key), limits, and the account balance. */
export function registerProvidersCommand(program: Command): void {
  program
    .command('providers')
    .description('List clip providers, whether their API key is set (never printed), their limits, and the account balance.')
    .option('--json', 'print JSON on stdout')
    .option('--offline', 'do not ask the providers for balances')
    .option('--project <dir>', 'project folder whose reelwright.config.json applies (default: current folder)')
    .addHelpText('after', '\nExamples:\n  $ reelwright providers\n  $ RUNWAYML_API_SECRET=… reelwright providers --json')
    .action(async (flags: { json?: boolean; offline?: boolean; project?: string }) => {
      const config = loadConfig({ projectDir: flags.project ?? process.cwd() });
      const limitsOf = (id: string) => {
        const limits = config.limits[id];
        return limits ? { concurrency: limits.concurrency, requestsPerMinute: limits.createsPerMinute } : null;
      };
      const statuses: ProviderStatus[] = [
        {
          id: 'local',
          defaultModel: DEFAULT_PROVIDER_MODELS['local'] as string,
          keyVariable: null,
          keyPresent: true,
          baseURL: null,
          baseURLSource: null,
          limits: limitsOf('local'),
          balanceUsd: null,
          error: null,
        },
      ];
      for (const id of ['runway', 'luma'] as const) {
        const names = PROVIDER_ENV[id];
        const apiKey = process.env[names.key];
        const fromConfig = config.providers[id].baseURL ?? null;
        const fromEnv = process.env[names.baseURL] || null;
        const baseURL = fromConfig ?? fromEnv;
        const status: ProviderStatus = {
          id,
          defaultModel: DEFAULT_PROVIDER_MODELS[id] as string,
          keyVariable: names.key,
          keyPresent: Boolean(apiKey),
          baseURL: showUrl(baseURL),
          baseURLSource: fromConfig ? 'config' : fromEnv ? 'env' : null,
          limits: limitsOf(id),
          balanceUsd: null,
          error: null,
        };
        if (apiKey && !flags.offline) {
          try {
            const timeoutMs = config.providers[id].timeoutMs;
            const balance = await readBalance({ provider: id, apiKey, ...(baseURL ? { baseURL } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
            status.balanceUsd = balance.balanceUsd;
          } catch (error) {
            // Mapped provider errors name the variable, never the key.
            status.error = error instanceof Error ? error.message : String(error);
          }
        }
        statuses.push(status);
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        return;
      }
      const logOptions = { logLevel: 'info' as const, tag: 'providers' };
      for (const s of statuses) {
        const key = s.keyVariable === null ? pc.green('no key needed') : s.keyPresent ? pc.green(`${s.keyVariable} set`) : pc.yellow(`${s.keyVariable} not set`);
        const limits = s.limits ? ` · ${s.limits.concurrency} at once${s.limits.requestsPerMinute !== null ? `, ${s.limits.requestsPerMinute} creates/min` : ''}` : '';
        const balance = s.balanceUsd !== null ? `balance $${s.balanceUsd.toFixed(2)}` : s.error ? pc.red(`balance unavailable: ${s.error}`) : '';
        log.info(logOptions, `${s.id.padEnd(7)} default model ${s.defaultModel.padEnd(15)} ${key}${limits}${s.baseURL ? ` · base URL ${s.baseURL}` : ''}${balance ? ` · ${balance}` : ''}`);
      }
      if (config.file) log.info(logOptions, `Settings from ${config.file}${config.priceTableFile ? `; prices from ${config.priceTableFile}` : ''}.`);
    });
}

import type { Command } from 'commander';
import pc from 'picocolors';
import { PROVIDER_ENV, readBalance } from '../../clips/index.js';
import { log } from '../../log/index.js';
import { DEFAULT_PROVIDER_MODELS } from '../../run/index.js';

type ProviderStatus = {
  id: string;
  defaultModel: string;
  keyVariable: string | null;
  keyPresent: boolean;
  baseURL: string | null;
  balanceUsd: number | null;
  error: string | null;
};

/** `reelwright providers`: configured providers, whether each key is set (never the key), and the account balance. */
export function registerProvidersCommand(program: Command): void {
  program
    .command('providers')
    .description('List clip providers, whether their API key is set (never printed), and the account balance.')
    .option('--json', 'print JSON on stdout')
    .option('--offline', 'do not ask the providers for balances')
    .addHelpText('after', '\nExamples:\n  $ reelwright providers\n  $ RUNWAYML_API_SECRET=… reelwright providers --json')
    .action(async (flags: { json?: boolean; offline?: boolean }) => {
      const statuses: ProviderStatus[] = [
        { id: 'local', defaultModel: DEFAULT_PROVIDER_MODELS['local'] as string, keyVariable: null, keyPresent: true, baseURL: null, balanceUsd: null, error: null },
      ];
      for (const id of ['runway', 'luma'] as const) {
        const names = PROVIDER_ENV[id];
        const apiKey = process.env[names.key];
        const baseURL = process.env[names.baseURL] ?? null;
        const status: ProviderStatus = { id, defaultModel: DEFAULT_PROVIDER_MODELS[id] as string, keyVariable: names.key, keyPresent: Boolean(apiKey), baseURL, balanceUsd: null, error: null };
        if (apiKey && !flags.offline) {
          try {
            const balance = await readBalance({ provider: id, apiKey, ...(baseURL ? { baseURL } : {}) });
            status.balanceUsd = balance.balanceUsd;
          } catch (error) {
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
        const balance = s.balanceUsd !== null ? `balance $${s.balanceUsd.toFixed(2)}` : s.error ? pc.red(`balance unavailable: ${s.error}`) : '';
        log.info(logOptions, `${s.id.padEnd(7)} default model ${s.defaultModel.padEnd(15)} ${key}${s.baseURL ? ` · base URL ${s.baseURL}` : ''}${balance ? ` · ${balance}` : ''}`);
      }
    });
}

import { describe, expect, it } from 'vitest';
import { createLumaMock } from '../../test/mocks/luma-mock.js';
import { createRunwayMock } from '../../test/mocks/runway-mock.js';
import { ConfigError } from '../errors/index.js';
import { createProvider, readBalance } from './index.js';

describe('createProvider', () => {
  it.each([
    ['runway', 'RUNWAYML_API_SECRET'],
    ['luma', 'LUMAAI_API_KEY'],
  ])('fails up front naming %s’s key variable when it is missing', (id, variable) => {
    let thrown: unknown;
    try {
      createProvider({ id, env: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ code: 'RW_PROVIDER_KEY_MISSING', message: expect.stringContaining(`set the ${variable} environment variable`) });
  });

  it('refuses an unknown provider id and a base URL that is not http(s)', () => {
    expect(() => createProvider({ id: 'sora', env: {} })).toThrow(/Unknown clip provider "sora"\. Known providers: local, runway, luma/);
    expect(() => createProvider({ id: 'luma', env: { LUMAAI_API_KEY: 'k', LUMAAI_BASE_URL: 'file:///etc' } })).toThrow(/LUMAAI_BASE_URL must be an http\(s\) URL/);
  });

  it('builds the local provider without any key', () => {
    expect(createProvider({ id: 'local', env: {}, config: { local: { workDir: '/tmp/rw-local' } } })).toMatchObject({ id: 'local' });
    expect(() => createProvider({ id: 'local', env: {} })).toThrow(/config\.local\.workDir/);
  });

  it('reads the key and base URL from the environment and lets config override the base URL', async () => {
    await using runway = await createRunwayMock({ apiKey: 'key_from_env_runway' });
    await using other = await createRunwayMock({ apiKey: 'key_from_env_runway' });
    const env = { RUNWAYML_API_SECRET: 'key_from_env_runway', RUNWAYML_BASE_URL: runway.baseURL };
    const fromEnv = createProvider({ id: 'runway', env });
    await fromEnv.poll('t', null).catch(() => undefined);
    expect(runway.count('GET', '/v1/tasks/t')).toBe(1);
    const fromConfig = createProvider({ id: 'runway', env, config: { runway: { baseURL: other.baseURL } } });
    await fromConfig.poll('t', null).catch(() => undefined);
    expect(other.count('GET', '/v1/tasks/t')).toBe(1);
    expect(other.requests[0]!.headers['authorization']).toBe('Bearer key_from_env_runway');
  });
});

describe('readBalance', () => {
  it('reads Runway credits from GET /v1/organization as dollars', async () => {
    await using runway = await createRunwayMock({ apiKey: 'key_balance_runway', creditBalance: 1234 });
    expect(await readBalance({ provider: 'runway', apiKey: 'key_balance_runway', baseURL: runway.baseURL })).toEqual({
      provider: 'runway',
      balanceUsd: 12.34,
      raw: { unit: 'credits', amount: 1234 },
    });
  });

  it('reads Luma cents from GET /credits as dollars', async () => {
    await using luma = await createLumaMock({ apiKey: 'key_balance_luma', creditBalanceCents: 5050 });
    expect(await readBalance({ provider: 'luma', apiKey: 'key_balance_luma', baseURL: luma.baseURL })).toEqual({
      provider: 'luma',
      balanceUsd: 50.5,
      raw: { unit: 'usd_cents', amount: 5050 },
    });
  });

  it('reports a refused key by its variable name only', async () => {
    await using luma = await createLumaMock({ apiKey: 'key_balance_luma' });
    const error = (await readBalance({ provider: 'luma', apiKey: 'key_WRONG_balance_luma', baseURL: luma.baseURL }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'RW_PROVIDER_AUTH', message: expect.stringMatching(/Check LUMAAI_API_KEY/) });
    expect(error.message).not.toContain('key_WRONG_balance_luma');
  });
});

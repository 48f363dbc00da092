import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLumaMock } from '../../test/mocks/luma-mock.js';
import { createRunwayMock } from '../../test/mocks/runway-mock.js';
import { createLocalProvider, createLumaProvider, createRunwayProvider, DEFAULT_LOCAL_MODEL } from './index.js';
import type { ClipRequest } from './index.js';
import { runContract } from './provider.contract.js';

const base: Omit<ClipRequest, 'provider' | 'model' | 'seconds'> = {
  prompt: 'A lighthouse in a storm, slow dolly in',
  aspect: '16:9',
  resolution: null,
  seed: 11,
  inputImageHash: null,
  params: {},
  draft: false,
};

runContract({
  name: 'runway over @runwayml/sdk against the mock server',
  makeProvider: async () => {
    const mock = await createRunwayMock({ apiKey: 'key_contract_runway' });
    return {
      provider: createRunwayProvider({ apiKey: 'key_contract_runway', baseURL: mock.baseURL }),
      validRequest: { ...base, provider: 'runway', model: 'gen4.5', seconds: 2 },
      invalidRequest: { ...base, provider: 'runway', model: 'gen4.5', seconds: 11 },
      close: () => mock.close(),
    };
  },
});

runContract({
  name: 'luma over lumaai against the mock server',
  makeProvider: async () => {
    const mock = await createLumaMock({ apiKey: 'luma_contract_key' });
    return {
      provider: createLumaProvider({ apiKey: 'luma_contract_key', baseURL: mock.baseURL }),
      validRequest: { ...base, provider: 'luma', model: 'ray-flash-2', seconds: 5, resolution: '540p' },
      invalidRequest: { ...base, provider: 'luma', model: 'ray-flash-2', seconds: 7 },
      close: () => mock.close(),
    };
  },
});

runContract({
  name: 'local (ffmpeg, free)',
  makeProvider: async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), 'rw-contract-local-'));
    return {
      provider: createLocalProvider({ workDir }),
      validRequest: { ...base, provider: 'local', model: DEFAULT_LOCAL_MODEL, seconds: 2, resolution: '144p' },
      invalidRequest: { ...base, provider: 'local', model: 'no-such-model', seconds: 2 },
      close: () => rm(workDir, { recursive: true, force: true }),
    };
  },
});

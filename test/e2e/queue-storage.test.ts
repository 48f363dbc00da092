/**
 * The storage half of the render queue, without workers: what the coordinator publishes for a task (template source,
 * bundle + manifest in Redis, row media, clip file and pre-decoded frames), how a worker that mounts the shared folder
 * elsewhere maps it back, and the checks on keys, manifests, URLs and the shared root.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderTask } from '../../src/pool/index.js';
import {
  BUNDLE_MANIFEST_KEY_PREFIX,
  createQueueRunner,
  createSharedDirStorage,
  deriveQueueRunId,
  localizeTask,
  parseRedisUrl,
  readBundleManifest,
  runWorker,
  TaskPublisher,
  toStorageKey,
  type SharedDirStorage,
} from '../../src/queue/index.js';
import { bundleTemplate } from '../../src/render/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { createServer } from 'node:net';
import { once } from 'node:events';

const TEMPLATE = path.join(REPO_ROOT, 'test', 'fixtures', 'templates', 'queue-card', 'index.tsx');

describe('render queue storage (shared folder + bundle manifests in Redis)', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let root: string;
  let coordinator: SharedDirStorage;
  let worker: SharedDirStorage;
  let task: RenderTask;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(parseRedisUrl(redisServer.url(3)) as RedisOptions);
    root = await mkdtemp(path.join(tmpdir(), 'rw-queue-storage-'));
    // Two "machines" mount the same folder at different paths.
    await mkdir(path.join(root, 'nfs'));
    await symlink(path.join(root, 'nfs'), path.join(root, 'worker-mount'));
    coordinator = await createSharedDirStorage({ root: path.join(root, 'nfs') });
    worker = await createSharedDirStorage({ root: path.join(root, 'worker-mount') });

    const project = path.join(root, 'project');
    const bundle = await bundleTemplate({ entry: TEMPLATE, cacheDir: path.join(project, '.reelwright', 'cache') });
    await mkdir(path.join(project, 'media'), { recursive: true });
    const logo = path.join(project, 'media', 'logo.svg');
    await writeFile(logo, '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    const clip = path.join(project, '.reelwright', 'clips', 'abc123.mp4');
    await mkdir(path.dirname(clip), { recursive: true });
    await writeFile(clip, 'not really an mp4');
    const frames = path.join(project, '.reelwright', 'frames', 'abc123-160x90-10');
    await mkdir(frames, { recursive: true });
    for (let i = 1; i <= 3; i++) await writeFile(path.join(frames, `00000${i}.jpg`), `frame ${i}`);
    task = {
      type: 'render',
      jobId: 'ada#default',
      templateEntry: TEMPLATE,
      cacheDir: path.join(project, '.reelwright', 'cache'),
      bundleDir: bundle.dir,
      bundleHash: bundle.hash,
      variant: 'default',
      props: { id: 'ada', name: 'Ada', accent: '#ff0000', logo, backdrop: clip },
      mediaProps: ['logo', 'backdrop'],
      clipFrames: { [clip]: { dir: frames, count: 3, fps: 10 } },
      outFile: path.join(project, 'outputs', 'queue-card', 'ada.mp4'),
      randomSeed: 'ada',
      jpegQuality: 90,
      frameReuse: true,
      frameTimeoutMs: 30_000,
    };
  });

  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('publishes what a task needs under content keys and a worker mounting the folder elsewhere maps it back', async () => {
    const publisher = new TaskPublisher({ storage: coordinator, redis, runId: 'run:1' });
    const { job, taskHash } = await publisher.publish(task, null);

    // No path of the coordinator's machine travels in the job.
    expect(JSON.stringify(job)).not.toContain(path.join(root, 'project'));
    expect(job.task.bundleKey).toBe(`bundles/${task.bundleHash}`);
    expect(job.task.template).toEqual({ dirKey: expect.stringMatching(/^templates\/[0-9a-f]{32}$/), entry: 'index.tsx' });
    expect(job.task.props['logo']).toMatch(/^media\/[0-9a-f]{64}\/logo\.svg$/);
    expect(job.task.props['backdrop']).toMatch(/^media\/[0-9a-f]{64}\/abc123\.mp4$/);
    expect(job.task.clipFrames).toEqual({ [job.task.props['backdrop'] as string]: { dirKey: 'frames/abc123-160x90-10', count: 3, fps: 10 } });
    // ':' in the run id is encoded, the output keeps its name.
    expect(job.task.outputKey).toBe(`outputs/run_1/${taskHash.slice(0, 32)}/ada.mp4`);
    const manifest = await readBundleManifest({ redis, hash: task.bundleHash });
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['bundle.js', 'index.html']));

    const localized = await localizeTask({ job, storage: worker, manifest, cacheDir: path.join(root, 'worker-state', 'cache') });
    const mount = path.join(root, 'worker-mount');
    expect(localized.task.templateEntry).toBe(path.join(mount, job.task.template.dirKey, 'index.tsx'));
    expect(await readFile(localized.task.templateEntry, 'utf8')).toBe(await readFile(TEMPLATE, 'utf8'));
    expect(localized.task.bundleDir).toBe(path.join(mount, 'bundles', task.bundleHash));
    expect(await readFile(localized.task.props['logo'] as string, 'utf8')).toContain('<svg');
    const clipPath = localized.task.props['backdrop'] as string;
    expect(localized.task.clipFrames).toEqual({ [clipPath]: { dir: path.join(mount, 'frames', 'abc123-160x90-10'), count: 3, fps: 10 } });
    expect(await readFile(path.join(localized.task.clipFrames[clipPath]!.dir, '000002.jpg'), 'utf8')).toBe('frame 2');
    expect(localized.task.outFile).toBe(path.join(mount, job.task.outputKey));
    expect(localized.task.cacheDir).toBe(path.join(root, 'worker-state', 'cache'));
    expect({ ...localized.task, templateEntry: '', bundleDir: '', props: {}, clipFrames: {}, outFile: '', cacheDir: '' }).toEqual({
      ...task,
      templateEntry: '',
      bundleDir: '',
      props: {},
      clipFrames: {},
      outFile: '',
      cacheDir: '',
    });
  });

  it('gives the same task the same hash (so the same job id) and a changed row another', async () => {
    const first = await new TaskPublisher({ storage: coordinator, redis, runId: 'r' }).publish(task, null);
    const again = await new TaskPublisher({ storage: coordinator, redis, runId: 'r' }).publish({ ...task }, null);
    const changed = await new TaskPublisher({ storage: coordinator, redis, runId: 'r' }).publish({ ...task, props: { ...task.props, name: 'Grace' } }, null);
    expect(again.taskHash).toBe(first.taskHash);
    expect(changed.taskHash).not.toBe(first.taskHash);
  });

  it('refuses a bundle folder that does not match its manifest, and a bundle without a manifest', async () => {
    const { job } = await new TaskPublisher({ storage: coordinator, redis, runId: 'r' }).publish(task, null);
    const manifest = await readBundleManifest({ redis, hash: task.bundleHash });
    const lying = { ...manifest, files: [...manifest.files, { path: 'late.js', bytes: 10 }] };
    await expect(localizeTask({ job, storage: worker, manifest: lying, cacheDir: path.join(root, 'c'), settleMs: 300 })).rejects.toMatchObject({
      code: 'RW_STORAGE_INCOMPLETE',
      message: expect.stringMatching(/lacks late\.js listed in its manifest/),
    });
    await redis.del(`${BUNDLE_MANIFEST_KEY_PREFIX}${task.bundleHash}`);
    await expect(readBundleManifest({ redis, hash: task.bundleHash })).rejects.toMatchObject({ code: 'RW_QUEUE_BUNDLE_MISSING' });
  });

  it('tells a missing stored file apart, naming the key and the mount', async () => {
    const { job } = await new TaskPublisher({ storage: coordinator, redis, runId: 'r' }).publish(task, null);
    const manifest = await readBundleManifest({ redis, hash: task.bundleHash });
    await unlink(path.join(root, 'nfs', job.task.props['logo'] as string));
    await expect(localizeTask({ job, storage: worker, manifest, cacheDir: path.join(root, 'c') })).rejects.toMatchObject({
      code: 'RW_STORAGE_MISSING',
      message: expect.stringMatching(/Nothing is stored under "media\/.*logo\.svg".*same shared folder mounted/),
    });
  });

  it('accepts only safe relative storage keys', () => {
    expect(toStorageKey('outputs/run_1/abc/ada.mp4')).toBe('outputs/run_1/abc/ada.mp4');
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a//b', 'a/./b', '.hidden/x', 'a/../b', '', 'a\\b', 'a b']) {
      expect(() => toStorageKey(bad), bad).toThrow(expect.objectContaining({ code: 'RW_STORAGE_BAD_KEY' }));
    }
  });

  it('parses Redis URLs with database, credentials and TLS, and refuses others before connecting', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2')).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, maxRetriesPerRequest: null });
    expect(parseRedisUrl('rediss://user:p%40ss@cache.example:6379')).toMatchObject({ username: 'user', password: 'p@ss', db: 0, tls: {} });
    for (const bad of ['http://x:6379/0', 'redis://x:6379/zero', 'not a url']) {
      expect(() => parseRedisUrl(bad), bad).toThrow(expect.objectContaining({ code: 'RW_QUEUE_BAD_URL' }));
    }
    expect(() => parseRedisUrl('ftp://u:secret@x/0')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') }));
  });

  it('refuses a shared folder that is not mounted instead of writing to the local disk', async () => {
    await expect(createSharedDirStorage({ root: path.join(root, 'not-mounted') })).rejects.toMatchObject({
      code: 'RW_STORAGE_UNAVAILABLE',
      message: expect.stringMatching(/does not exist\. Mount it/),
    });
  });

  it('gives up on an unreachable Redis after the connect timeout instead of hanging (coordinator and worker)', async () => {
    // A port nothing listens on: take one from the OS and release it.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    probe.close();
    await once(probe, 'close');
    const redisUrl = `redis://127.0.0.1:${port}/0`;
    await expect(createQueueRunner({ redisUrl, runId: 'r', storage: coordinator, connectTimeoutMs: 500 })).rejects.toMatchObject({
      code: 'RW_QUEUE_UNREACHABLE',
      message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}.*did not answer within 1 s`)),
    });
    let closed = false;
    await expect(
      runWorker({
        redisUrl,
        storage: worker,
        stateDir: path.join(root, 'unreachable-worker'),
        connectTimeoutMs: 500,
        onLog: () => undefined,
        createRunner: async () => ({ concurrency: 1, run: () => Promise.reject(new Error('never called')), close: async () => void (closed = true) }),
      }),
    ).rejects.toMatchObject({ code: 'RW_QUEUE_UNREACHABLE' });
    // The local pool it had started is closed again.
    expect(closed).toBe(true);
  });

  it('derives the same queue run id for the same batch, and another for another dataset, template or output folder', () => {
    const base = { projectDir: '/srv/p', dataset: 'datasets/leads.csv', template: 'welcome' };
    const id = deriveQueueRunId(base);
    expect(id).toMatch(/^leads-welcome-[0-9a-f]{16}$/);
    expect(deriveQueueRunId({ ...base, dataset: '/srv/p/datasets/leads.csv' })).toBe(id);
    expect(deriveQueueRunId({ ...base, template: 'templates/welcome/index.tsx' })).toMatch(/^leads-welcome-/);
    for (const other of [{ dataset: 'datasets/other.csv' }, { template: 'recap' }, { outDir: 'videos' }]) {
      expect(deriveQueueRunId({ ...base, ...other })).not.toBe(id);
    }
  });
});

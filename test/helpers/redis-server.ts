import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Debian's redis-server (`scripts/setup.sh --test` installs it); `REDIS_SERVER` overrides. */
const REDIS_SERVER = process.env['REDIS_SERVER'] ?? (existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : 'redis-server');

/** Options of `startRedisServer`. */
export type StartRedisServerOptions = {
  /** Append-only file with fsync on every write, so a restart (even after SIGKILL) keeps every acknowledged write. */
  appendonly?: boolean;
};

/** A free TCP port on the loopback interface (asked from the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/**
 * A real `redis-server` for tests: loopback only, on a free port, with its data in a temporary folder (deleted by
 * `stop()`). `restart()` stops it and starts it again on the same port and folder (with `appendonly`, data survives).
 */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #options: StartRedisServerOptions;
  #child: ChildProcess | null = null;

  constructor(port: number, dir: string, options: StartRedisServerOptions) {
    this.port = port;
    this.dir = dir;
    this.#options = options;
  }

  /** `redis://127.0.0.1:<port>/<db>`. */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    const args = [
      '--port', String(this.port),
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--save', '',
      '--appendonly', this.#options.appendonly ? 'yes' : 'no',
      '--appendfsync', 'always',
      '--daemonize', 'no',
      '--logfile', '',
      '--databases', '32',
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null, signal: string | null) => reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`));
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', onExit);
      child.once('error', reject);
    });
    // Keep draining its log so the pipe never fills up.
    child.stdout?.resume();
  }

  /** Stops the server with `signal` (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** Stops the server and starts it again on the same port and data folder. */
  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.kill(signal);
    await this.start();
  }

  /** Stops the server and deletes its data folder. */
  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * Starts a throwaway `redis-server` on a free loopback port.
 *
 * @example
 * await using redis = await startRedisServer({ appendonly: true });
 * const url = redis.url(1);
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rw-redis-'));
  const server = new RedisServer(await freePort(), dir, options);
  try {
    await server.start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return server;
}

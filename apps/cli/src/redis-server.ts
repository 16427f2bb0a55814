// `regatta run` needs a Redis and nothing else: use the one at REDIS_URL when it answers, otherwise
// start redis-server from PATH on a free loopback port, with an append-only file in a temporary folder.
import { connectRedis } from '@regatta/store';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

export interface RedisHandle {
  url: string;
  /** Set when this process started the server; stopping it removes its data folder too. */
  stop(): Promise<void>;
}

/**
 * Whether a Redis (or a Redis Cluster) answers within `timeoutMs`. Waits for the client's `ready`
 * event, not only on `connect()`: a Cluster whose ready check fails (a cluster still forming reports
 * `cluster_state:fail`) reconnects by itself, but the promise of its first `connect()` then never
 * settles. A refused connection still rejects it at once.
 */
async function answers(url: string, timeoutMs: number): Promise<boolean> {
  const client = connectRedis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      client.once('ready', () => resolve(true));
      client.once('end', () => resolve(false));
      client.connect().catch(() => resolve(false));
    });
    return ready && (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    // Disconnecting an ended client arms a 2 s timer that holds the process open.
    if (client.status !== 'end') client.disconnect();
  }
}

/**
 * A Redis named in REDIS_URL gets longer to answer than the default one, which is only probed to
 * decide whether to start redis-server.
 */
export async function ensureRedis(url: string, mayStart: boolean): Promise<RedisHandle> {
  if (await answers(url, mayStart ? 1000 : 5000)) return { url, stop: async () => {} };
  if (!mayStart) throw new Error(`no Redis answers at ${url}`);
  return startRedisServer();
}

async function startRedisServer(): Promise<RedisHandle> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'regatta-redis-'));
  const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'];
  let child: ChildProcess;
  try {
    child = await spawnReady(args);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function spawnReady(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'No Redis answers at REDIS_URL and redis-server is not on PATH. Install Redis ' +
                '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
            )
          : error,
      );
    });
    child.once('spawn', () => resolve(child));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

// `regatta run` needs a Redis and nothing else. One the operator named (REDIS_URL) is used as it is.
// Otherwise it starts redis-server from PATH for itself, with an append-only file in a private folder,
// reachable only through a unix socket in that folder (mode 0700), or, where the socket's path would be
// too long, on loopback behind a random password. It never adopts a Redis that happens to answer on the
// default port: that one may be someone else's, unauthenticated, and open to every local process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRedis } from '@regatta/service';

export interface RedisHandle {
  url: string;
  /** Set when this process started the server; stopping it removes its data folder too. */
  stop(): Promise<void>;
}

/** A unix socket's path must fit `sun_path`: 108 bytes on Linux, 104 on macOS, with its NUL. */
const MAX_SOCKET_PATH = 100;
/** Signals that end `regatta run` by default: caught only to take the server down first. */
const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function ensureRedis(url: string, named: boolean): Promise<RedisHandle> {
  if (!named) return startRedisServer();
  await checkRedis(url, 5000);
  return { url, stop: async () => {} };
}

/** A redis.conf value, quoted as the server's config parser reads it. */
const quote = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** Where the server listens: on `socket` alone, or on loopback behind a password where its path is too long. */
async function listening(socket: string): Promise<{ url: string; listen: string[] }> {
  if (Buffer.byteLength(socket) <= MAX_SOCKET_PATH) return { url: socket, listen: ['port 0', `unixsocket ${quote(socket)}`, 'unixsocketperm 700'] };
  const port = await freePort();
  const password = randomBytes(24).toString('hex');
  return { url: `redis://:${password}@127.0.0.1:${port}`, listen: ['bind 127.0.0.1', `port ${port}`, `requirepass ${password}`] };
}

async function startRedisServer(): Promise<RedisHandle> {
  // mkdtemp makes the folder 0700: only this user reaches the socket and the append-only file.
  const dir = mkdtempSync(join(tmpdir(), 'regatta-redis-'));
  const { url, listen } = await listening(join(dir, 'redis.sock'));
  // However this process ends (an error, a closed pipe, Ctrl-C, a kill), the server and its data go
  // with it, from before the server starts; SIGKILL alone cannot be caught.
  let child: ChildProcess | undefined;
  const abandon = () => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const exitOn = (signal: NodeJS.Signals) => process.exit(128 + constants.signals[signal]);
  const release = () => {
    process.off('exit', abandon);
    for (const signal of EXIT_SIGNALS) process.off(signal, exitOn);
  };
  process.once('exit', abandon);
  for (const signal of EXIT_SIGNALS) process.once(signal, exitOn);
  try {
    // The settings go in on stdin: a password on the command line would show in `ps` to every user.
    child = await spawnReady([...listen, `dir ${quote(dir)}`, 'appendonly yes', 'save ""', 'daemonize no'].join('\n'));
    await waitUntilAnswering(child, url);
  } catch (error) {
    release();
    abandon();
    throw error;
  }
  const server = child;
  return {
    url,
    stop: async () => {
      release();
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilAnswering(child: ChildProcess, url: string): Promise<void> {
  // What the server says goes nowhere once it answers; before, its last words explain a failed start.
  let said = '';
  const keep = (chunk: Buffer) => (said = (said + chunk.toString()).slice(-2000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  for (let attempt = 1; ; attempt++) {
    try {
      return await checkRedis(url, 200);
    } catch (error) {
      const exited = child.exitCode !== null || child.signalCode !== null;
      if (exited) throw new Error(`redis-server stopped at start: ${said.trim().split('\n').slice(-3).join(' ')}`);
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function spawnReady(config: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['-'], { stdio: 'pipe' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'redis-server is not on PATH. Install Redis (Debian/Ubuntu: apt-get install redis-server; ' +
                'macOS: brew install redis), or set REDIS_URL to a Redis of your own.',
            )
          : error,
      );
    });
    child.once('spawn', () => {
      // A server that stops at once closes its stdin early; waitUntilAnswering reports why.
      child.stdin!.on('error', () => {});
      child.stdin!.end(`${config}\n`);
      resolve(child);
    });
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

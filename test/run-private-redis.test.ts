// `regatta run` without REDIS_URL starts a Redis of its own that only its user reaches, and never
// adopts one that happens to answer on the default port (it may be someone else's, and every local
// process reaches it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, ROOT, type CliResult } from './support/cli.js';
import { uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) process.stdout.write('private Redis tests skipped: redis-server is not on PATH\n');

const dir = mkdtempSync(join(tmpdir(), 'regatta-private-'));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Suspended until resumed, so the test can look at the Redis while the run is live. */
const SUSPENDED = join(dir, 'suspended.yaml');
writeFileSync(
  SUSPENDED,
  `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: held}
spec:
  entrypoint: hold
  templates:
  - name: hold
    suspend: {}
`,
);

/** `regatta run` as a user without REDIS_URL runs it: the environment has none of the Redis settings. */
function runWithoutRedisUrl(file: string, prefix: string, tmp = tmpdir()): { child: ChildProcess; result: Promise<CliResult> } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', REGATTA_PREFIX: prefix, TMPDIR: tmp };
  const child = spawn(process.execPath, [`${ROOT}apps/cli/dist/main.js`, 'run', file, '-o', 'json'], { cwd: ROOT, env });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, result: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))) };
}

async function answers(redis: Redis): Promise<boolean> {
  redis.on('error', () => {});
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const once = { retryStrategy: () => null, maxRetriesPerRequest: 0, lazyConnect: true };

describe('regatta run without REDIS_URL', () => {
  it.runIf(hasRedisServer)('does not touch the Redis that answers on the default port', async () => {
    // The suite's Redis is usually there; where it is not, one of this test's own stands in.
    if (!(await answers(new Redis(6379, '127.0.0.1', once)))) {
      const decoy = join(dir, 'decoy');
      mkdirSync(decoy);
      started.push(spawn('redis-server', ['--port', '6379', '--bind', '127.0.0.1', '--dir', decoy, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' }));
      await until('the Redis on the default port', () => answers(new Redis(6379, '127.0.0.1', once)));
    }
    const prefix = uniquePrefix();
    const { code, stdout, stderr } = await runWithoutRedisUrl('examples/hello-world.yaml', prefix).result;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Workflow).status?.phase).toBe('Succeeded');
    const onDefault = new Redis(6379, '127.0.0.1');
    try {
      expect(await onDefault.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      onDefault.disconnect();
    }
  });

  it.runIf(hasRedisServer)('listens only on a unix socket in a folder of its own, mode 0700, and removes it at the end', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const prefix = uniquePrefix();
    const run = runWithoutRedisUrl(SUSPENDED, prefix, tmp);
    const folder = await until('the private Redis folder', async () => readdirSync(tmp).find((name) => name.startsWith('regatta-redis-') && existsSync(join(tmp, name, 'redis.sock'))));
    const socket = join(tmp, folder, 'redis.sock');
    expect(statSync(join(tmp, folder)).mode & 0o777).toBe(0o700);
    const redis = new Redis({ path: socket });
    try {
      // No TCP listener at all, and the socket is for its owner only.
      expect(await redis.config('GET', 'port')).toEqual(['port', '0']);
      expect(await redis.config('GET', 'unixsocketperm')).toEqual(['unixsocketperm', '700']);
      await until('the workflow to be stored', async () => (await redis.keys(`${prefix}:names:*`)).length > 0);
    } finally {
      redis.disconnect();
    }
    const resumed = await regatta(['resume', 'held'], prefix, { REDIS_URL: socket });
    expect(resumed.stderr).toBe('');
    const { code, stdout } = await run.result;
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Workflow).status?.phase).toBe('Succeeded');
    expect(readdirSync(tmp).filter((name) => name.startsWith('regatta-redis-'))).toEqual([]);
  });

  it.runIf(hasRedisServer)('takes its Redis and the folder down when the run is stopped by a signal', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const run = runWithoutRedisUrl(SUSPENDED, uniquePrefix(), tmp);
    await until('the private Redis socket', async () => readdirSync(tmp).some((name) => name.startsWith('regatta-redis-') && existsSync(join(tmp, name, 'redis.sock'))));
    const pid = Number(spawnSync('pgrep', ['-P', String(run.child.pid), '-x', 'redis-server'], { encoding: 'utf8' }).stdout.trim());
    const alive = () => {
      try {
        return process.kill(pid, 0);
      } catch {
        return false;
      }
    };
    try {
      run.child.kill('SIGTERM');
      expect((await run.result).code).toBe(143);
      expect(readdirSync(tmp).filter((name) => name.startsWith('regatta-redis-'))).toEqual([]);
      await until('its redis-server to be gone', async () => !alive());
    } finally {
      if (alive()) process.kill(pid, 'SIGKILL');
    }
  });

  it.runIf(hasRedisServer)('listens on loopback behind a password where a socket path would be too long', async () => {
    const tmp = join(dir, 'a-temporary-folder-whose-path-is-longer-than-a-unix-socket-path-may-be'.repeat(2));
    mkdirSync(tmp);
    const run = runWithoutRedisUrl(SUSPENDED, uniquePrefix(), tmp);
    const pid = await until('its redis-server', async () => spawnSync('pgrep', ['-P', String(run.child.pid), '-x', 'redis-server'], { encoding: 'utf8' }).stdout.trim() || undefined);
    try {
      const line = await until('its TCP port', async () => spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' }).stdout.split('\n').find((l) => l.includes(`pid=${pid},`)));
      const [, address, port] = /\s(\S+):(\d+)\s/.exec(line)!;
      expect(address).toBe('127.0.0.1');
      // The password is nowhere another user could read it, such as the command line.
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain('requirepass');
      const anonymous = new Redis({ port: Number(port), lazyConnect: true, retryStrategy: () => null });
      anonymous.on('error', () => {});
      await expect(anonymous.get('anything')).rejects.toThrow(/NOAUTH/);
      anonymous.disconnect();
    } finally {
      // The run never ends by itself (its workflow waits for a resume this test cannot send).
      run.child.kill('SIGKILL');
      process.kill(Number(pid), 'SIGKILL');
    }
  });
});

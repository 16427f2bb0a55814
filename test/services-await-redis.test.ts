// A scheduler or worker started while its Redis is down (restarting, or not up yet) waits for it,
// saying so, instead of exiting: found by the chaos suite, where a scheduler restarted during a Redis
// outage exited with "Reached the max retries per request limit".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from './support/cli.js';
import { uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';
import { freePort } from './support/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-await-redis-'));
const started: ChildProcess[] = [];
afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('services started before their Redis', () => {
  it('wait for it, then run workflows', async () => {
    const port = await freePort();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REGATTA_LEASE_MS: '2000' };
    const prefix = uniquePrefix();
    const scheduler = startService(['scheduler'], prefix, env);
    const worker = startService(['worker', '--executor', 'noop'], prefix, env);
    started.push(scheduler.child, worker.child);
    await until('both to say Redis cannot be used yet', async () =>
      [scheduler, worker].every((service) => service.output().includes('Redis cannot be used yet')),
    );
    // Past the 5 s that one check takes: both are still there.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect([scheduler.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    const redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    started.push(redis);
    const result = await regatta(['submit', 'examples/hello-world.yaml', '--watch', '-o', 'json'], prefix, env);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { status: { phase: string } }).status.phase).toBe('Succeeded');
    await Promise.all([stopService(scheduler.child), stopService(worker.child)]);
    redis.kill('SIGTERM');
  }, 60_000);
});

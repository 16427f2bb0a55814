// Redis restarted from a file that lost its last writes (an append-only file fsynced every second, a
// snapshot, a replica behind): a node's dispatch is back in its workflow's outbox and its job is gone,
// while the scheduler's cache says both were done. The scheduler sees the server's run_id change and
// reloads what it held, so the node is dispatched again rather than left Running with no job.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeJob } from '@regatta/engine';
import { NODE_QUEUES, type NodeJobData } from '@regatta/queue';
import { Scheduler } from '@regatta/scheduler';
import { Keys, ensureInstance, redisFactory } from '@regatta/store';
import { createLogger } from '@regatta/telemetry';
import { regatta } from './support/cli.js';
import { uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-rollback-'));
const socket = join(dir, 'redis.sock');
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A private Redis keeping its data in an append-only file in `dir`, so a restart keeps what was written. */
async function startRedis(): Promise<void> {
  const server = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  servers.push(server);
  await until('redis-server to answer', async () => {
    const probe = new Redis(socket, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }, 15_000);
}

describe('a Redis that rolled back', () => {
  it.runIf(spawnSync('redis-server', ['--version']).status === 0)('has its lost node job dispatched again once the scheduler sees the restart', async () => {
    await startRedis();
    const prefix = uniquePrefix();
    const keys = new Keys(prefix);
    const redis = new Redis(socket, { maxRetriesPerRequest: null });
    // While the server restarts, reconnecting fails for a moment.
    redis.on('error', () => {});
    await ensureInstance(redis, keys, { id: randomUUID(), shards: 4 });
    const scheduler = new Scheduler({ connect: redisFactory(socket), keys, logger: createLogger('test', { level: 'silent' }) });
    await scheduler.start();
    const queue = new Queue(NODE_QUEUES.node, { connection: redis, prefix: keys.pool('default') });
    try {
      const file = join(dir, 'one.yaml');
      writeFileSync(file, 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: one}\nspec:\n  entrypoint: main\n  templates:\n  - {name: main, container: {image: busybox, command: [echo, hi]}}\n');
      expect((await regatta(['submit', file], prefix, { REDIS_URL: socket })).stderr).toBe('');
      const job = await until('the node job', async () => (await queue.getJobs(['waiting'])).filter(Boolean).at(0) as Job | undefined, 15_000);
      const { job: node } = (job.data as NodeJobData<NodeJob>).nodes[0]!;
      const workflow = keys.workflow(node.workflow.uid);
      await until('the outbox cleared', async () => (await redis.llen(workflow.outbox)) === 0);

      // What a restart from a file missing the last second leaves: the dispatch stored, its job and clear lost.
      const version = await redis.hget(workflow.record, 'version');
      await redis.rpush(workflow.outbox, `${version}.0 ${JSON.stringify({ type: 'dispatchNode', job: node })}`);
      await job.remove();
      // SIGTERM: Redis writes its append-only file out and exits, as a restarted server does.
      const stopped = new Promise((resolve) => servers.at(-1)!.once('exit', resolve));
      servers.at(-1)!.kill('SIGTERM');
      await stopped;
      await startRedis();

      await until('the node job back', async () => (await queue.getJob(job.id!)) ?? false, 20_000);
      await until('the outbox cleared again', async () => (await redis.llen(workflow.outbox)) === 0);
    } finally {
      await queue.close();
      await scheduler.close();
      redis.disconnect();
    }
  }, 60_000);
});

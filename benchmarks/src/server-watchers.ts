// Whether watchers slow a workflow down: one busy workflow (a chain of noop tasks, a transition per
// task) runs with no watcher, then with `watchers` concurrent SSE watches of it through a
// `regatta server` process, alternately, on the same scheduler and worker. Each run starts suspended,
// every watcher is connected and has had the whole workflow before it is resumed, and its time runs
// from the resume to its end. The ratio (with / without) is the cost of the watchers.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { get, type ClientRequest } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { prepareWorkflow, RedisWorkflowClient, submitWorkflow } from '@regatta/client';
import { workflowEnded } from '@regatta/spec';
import { Keys } from '@regatta/store';
import { cpuSecondsOf, RegattaSystem, removePrefix, round } from './system.js';
import { chain } from './workloads.js';

const CLI = fileURLToPath(new URL('../../apps/cli/bin/regatta.js', import.meta.url));
const SHARDS = 16;
const CHAIN = 400;
const REPEATS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Opens a watch and resolves once its first bytes (the whole workflow) arrived; counts the bytes.
 * Plain node:http, reading without parsing: the watchers' own cost on this machine's two cores is
 * kept as small as a client's can be, so that what is measured is the server's.
 */
function openWatcher(url: string, requests: ClientRequest[], counter: { bytes: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream' }, agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`watch answered ${response.statusCode}`));
      response.on('data', (chunk: Buffer) => {
        counter.bytes += chunk.length;
        resolve();
      });
      response.on('error', () => {});
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    requests.push(request);
  });
}

async function waitForEnd(redis: Redis, record: string): Promise<void> {
  for (;;) {
    const status = await redis.hget(record, 'status');
    if (status && workflowEnded((JSON.parse(status) as { phase: string }).phase)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function serverWatchers(redis: Redis, redisUrl: string, watchers = 1_000): Promise<Record<string, unknown>> {
  const prefix = `regatta-bench-${randomUUID().slice(0, 8)}`;
  const keys = new Keys(prefix);
  const system = new RegattaSystem({ redisUrl, prefix, schedulers: 1, workers: 1, concurrency: 50 });
  await redis.hset(`${prefix}:instance`, { id: randomUUID(), shards: SHARDS });
  await system.start(redis, SHARDS);
  const port = await freePort();
  const server = spawn(process.execPath, [CLI, 'server', '--port', String(port), '--auth-mode', 'server'], {
    env: { ...process.env, REDIS_URL: redisUrl, REGATTA_PREFIX: prefix, LOG_LEVEL: 'error' },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  const client = new RedisWorkflowClient({ redis, url: redisUrl, prefix, shards: SHARDS });
  try {
    for (;;) {
      if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const run = async (count: number) => {
      const workflow = prepareWorkflow(chain(CHAIN).yaml, 'watched.yaml', { namespace: 'default', shards: SHARDS });
      workflow.spec.suspend = true;
      await submitWorkflow(redis, prefix, workflow, SHARDS);
      const name = workflow.metadata.name!;
      // Suspended means admitted: the scheduler has stored it.
      while ((await redis.hget(keys.workflow(workflow.metadata.uid!).record, 'version')) === '0') await new Promise((resolve) => setTimeout(resolve, 10));
      const requests: ClientRequest[] = [];
      const counter = { bytes: 0 };
      const url = `${base}/api/v1/workflow-events/default?listOptions.fieldSelector=metadata.name%3D${name}`;
      await Promise.all(Array.from({ length: count }, () => openWatcher(url, requests, counter)));
      const cpuBefore = cpuSecondsOf(server);
      const started = performance.now();
      await client.resumeWorkflow('default', name);
      await waitForEnd(redis, keys.workflow(workflow.metadata.uid!).record);
      const seconds = (performance.now() - started) / 1000;
      const serverCpu = cpuSecondsOf(server) - cpuBefore;
      for (const request of requests) request.destroy();
      await client.deleteWorkflow('default', name);
      return { seconds, serverCpu, mbReceived: counter.bytes / 1e6 };
    };
    // Warm-up, one of each: the processes' hot paths (the server's stream path too) compiled before anything is measured.
    await run(0);
    await run(watchers);
    const ratios: number[] = [];
    const pairs: { without: number; with: number; serverCpuSeconds: number; mbReceived: number }[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const without = await run(0);
      const withWatchers = await run(watchers);
      ratios.push(withWatchers.seconds / without.seconds);
      pairs.push({ without: round(without.seconds, 3), with: round(withWatchers.seconds, 3), serverCpuSeconds: round(withWatchers.serverCpu, 2), mbReceived: round(withWatchers.mbReceived, 1) });
    }
    ratios.sort((a, b) => a - b);
    return { watchers, chainTasks: CHAIN, runs: pairs, ratioWithToWithout: round(ratios[Math.floor(ratios.length / 2)]!, 3) };
  } finally {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
    await system.stop();
    await removePrefix(redis, prefix);
  }
}

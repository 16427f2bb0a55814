// Semaphores and mutexes on Redis with the real system: 50 workflows contend for a semaphore of 3 while
// a scheduler and a worker are killed; stop, terminate and delete of lock holders leak nothing; a grant
// whose event was never written still lets its waiter run; a deleted waiter loses its place.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { prepareWorkflow, submitWorkflow } from '@regatta/client';
import { ShardStreams } from '@regatta/queue';
import type { Workflow } from '@regatta/spec';
import { Keys, LockStore, WorkflowStore, type LockHolder } from '@regatta/store';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-sync-'));
const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
const services: ReturnType<typeof startService>[] = [];

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  for (const prefix of prefixes) await removePrefix(prefix);
  redis.disconnect();
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Submits in batches of parallel `regatta submit` processes; returns the names. */
async function submitMany(prefix: string, file: string, count: number, env: Record<string, string>): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => regatta(['submit', file], prefix, env)));
    for (const result of batch) {
      expect(result.stderr).toBe('');
      names.push(result.stdout.trim());
    }
  }
  return names;
}

async function phases(prefix: string): Promise<Map<string, string>> {
  const store = new WorkflowStore(redis, prefix);
  return new Map((await store.list('default')).map((s) => [s.name, s.phase]));
}

async function lockKeys(prefix: string): Promise<string[]> {
  return redis.keys(`${prefix}:{sync}:*`);
}

const CONFIG = (limit: number) => `apiVersion: v1
kind: ConfigMap
metadata: {name: my-config}
data: {workflow: "${limit}"}
`;

describe('synchronization under failure', () => {
  it('never lets more than 3 hold a semaphore of 3 while a scheduler and a worker are killed; all succeed', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const env = { REGATTA_LEASE_MS: '1500', REGATTA_NODE_LOCK_MS: '3000', LOG_LEVEL: 'warn' };
    expect((await regatta(['configmap', 'apply', '-f', write('config.yaml', CONFIG(3))], prefix, env)).code).toBe(0);
    const schedulers = [startService(['scheduler'], prefix, env), startService(['scheduler'], prefix, env)];
    const workers = [startService(['worker', '--concurrency', '4'], prefix, env), startService(['worker', '--concurrency', '4'], prefix, env)];
    services.push(...schedulers, ...workers);
    const file = write(
      'contend.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: contend-}
spec:
  entrypoint: main
  templates:
  - name: main
    synchronization:
      semaphores: [{configMapKeyRef: {name: my-config, key: workflow}}]
    container: {image: busybox, command: [sh, -c, "echo start $(date +%s%N); sleep 0.4; echo end $(date +%s%N)"]}
`,
    );
    const lock = 'default/ConfigMap/my-config/workflow';
    const locks = new LockStore(redis, prefix);
    let maxHolders = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxHolders = Math.max(maxHolders, (await locks.holders(lock)).length);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const names = await submitMany(prefix, file, 50, env);
    await until('20 done', async () => [...(await phases(prefix)).values()].filter((p) => p === 'Succeeded').length >= 20, 120_000);
    schedulers[0]!.child.kill('SIGKILL');
    workers[0]!.child.kill('SIGKILL');
    await until('all ended', async () => [...(await phases(prefix)).values()].every((p) => p === 'Succeeded' || p === 'Failed' || p === 'Error'), 180_000);
    sampling = false;
    await sampler;
    const ended = await phases(prefix);
    expect(names.map((name) => ended.get(name))).toEqual(names.map(() => 'Succeeded'));
    expect(maxHolders).toBeGreaterThan(0);
    expect(maxHolders).toBeLessThanOrEqual(3);
    // From the recorded times too: at no instant did more than 3 nodes run.
    const store = new WorkflowStore(redis, prefix);
    const intervals: [number, number][] = [];
    for (const name of names) {
      const stored = (await store.load((await store.uidOf('default', name))!))!;
      const result = Object.values(stored.workflow.status.nodes).find((n) => n.type === 'Pod')!.outputs!.result!;
      const [start, end] = [/start (\d+)/.exec(result)![1]!, /end (\d+)/.exec(result)![1]!].map((ns) => Number(BigInt(ns) / 1000n));
      intervals.push([start!, end!]);
    }
    const events = intervals.flatMap(([start, end]) => [[start, 1] as const, [end, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let peak = 0;
    for (const [, delta] of events) peak = Math.max(peak, (running += delta));
    expect(peak).toBeLessThanOrEqual(3);
    await until('no lock keys', async () => (await lockKeys(prefix)).length === 0, 10_000);
  }, 300_000);

  it('stop, terminate and delete of lock holders, 100 times in a row, leak nothing', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const env = { LOG_LEVEL: 'warn' };
    services.push(startService(['scheduler'], prefix, env), startService(['worker', '--concurrency', '12'], prefix, env));
    const file = write(
      'hold.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hold-}
spec:
  entrypoint: main
  synchronization:
    mutexes: [{name: gate}]
  templates:
  - name: main
    synchronization:
      semaphores: [{configMapKeyRef: {name: my-config, key: workflow}}]
    container: {image: busybox, command: [sleep, "600"]}
`,
    );
    expect((await regatta(['configmap', 'apply', '-f', write('config10.yaml', CONFIG(10))], prefix, env)).code).toBe(0);
    // Submitted in process: a hundred CLI processes would take longer than a holder may wait.
    const names: string[] = [];
    for (let i = 0; i < 100; i++) {
      const workflow = prepareWorkflow(readFileSync(file, 'utf8'), file, { shards: 4 });
      await submitWorkflow(redis, prefix, workflow, 4);
      names.push(workflow.metadata.name!);
    }
    const keys = new Keys(prefix);
    const store = new WorkflowStore(redis, prefix);
    const streams = new ShardStreams(redis, (shard) => keys.shard(shard).events);
    const locks = new LockStore(redis, prefix);
    const actions = ['stop', 'terminate', 'delete'] as const;
    let acted = 0;
    // The mutex lets one workflow in at a time: each holder is stopped, terminated or deleted in turn.
    while (acted < names.length) {
      const [holder] = await until(`holder ${acted}`, async () => {
        const holders = await locks.holders('default/Mutex/gate');
        return holders.length > 0 ? holders : undefined;
      }, 20_000);
      expect(await locks.holders('default/Mutex/gate')).toHaveLength(1);
      const action = actions[acted % 3]!;
      if (action === 'delete') {
        const stored = (await store.load(holder!.uid))!;
        await store.delete('default', stored.workflow.metadata.name!);
      } else {
        await streams.append(holder!.shard, holder!.uid, { type: 'control', control: { action } });
      }
      await until('release', async () => !(await locks.holders('default/Mutex/gate')).some((h) => h.uid === holder!.uid), 20_000);
      acted++;
    }
    const left = await phases(prefix);
    expect([...left.values()].every((phase) => phase === 'Failed')).toBe(true);
    expect(left.size).toBe(100 - Math.floor(100 / 3));
    await until('no lock keys', async () => (await lockKeys(prefix)).length === 0, 10_000);
  }, 300_000);

  /** A scheduler and a worker; a workflow `hold` that holds mutex `gate` (it sleeps) and `next` waiting for it. */
  async function holdAndWait(prefix: string): Promise<{ first: LockHolder; second: string; locks: LockStore; store: WorkflowStore }> {
    const env = { LOG_LEVEL: 'warn' };
    services.push(startService(['scheduler'], prefix, env), startService(['worker'], prefix, env));
    const workflow = (name: string, command: string) =>
      write(
        `${name}.yaml`,
        `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
  synchronization:
    mutexes: [{name: gate}]
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "${command}"]}
`,
      );
    const store = new WorkflowStore(redis, prefix);
    const locks = new LockStore(redis, prefix);
    expect((await regatta(['submit', workflow('hold', 'sleep 600')], prefix, env)).code).toBe(0);
    const [first] = await until('hold holds gate', async () => {
      const holders = await locks.holders('default/Mutex/gate');
      return holders.length > 0 ? holders : undefined;
    });
    expect((await regatta(['submit', workflow('next', 'echo done')], prefix, env)).code).toBe(0);
    const second = (await store.uidOf('default', 'next'))!;
    await until('next waits', async () => (await locks.waiting('default/Mutex/gate')).includes(second));
    return { first: first!, second, locks, store };
  }

  it('runs a waiter whose grant was made but never told, as when the scheduler dies between the two', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const { first, locks, store } = await holdAndWait(prefix);
    // The lock script's half of a release, without the event to `next` that would follow it.
    await locks.release(first, [{ name: 'default/Mutex/gate', limit: 1 }]);
    await until('next succeeds', async () => (await phases(prefix)).get('next') === 'Succeeded', 60_000);
    const stored = (await store.load((await store.uidOf('default', 'next'))!))!;
    expect(Object.values(stored.workflow.status.nodes).find((n) => n.type === 'Pod')?.outputs?.result).toBe('done');
    await stopHolder(prefix, first);
    await until('no lock keys', async () => (await lockKeys(prefix)).length === 0, 10_000);
  }, 120_000);

  it('drops the place in line of a waiting workflow that is deleted', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const { first, second, locks, store } = await holdAndWait(prefix);
    await store.delete('default', 'next');
    await until('next leaves the line', async () => (await locks.waiting('default/Mutex/gate')).length === 0);
    expect(await locks.holders('default/Mutex/gate')).toEqual([first]);
    expect(await redis.hexists(new Keys(prefix).locks.requests, second)).toBe(0);
    await stopHolder(prefix, first);
    await until('no lock keys', async () => (await lockKeys(prefix)).length === 0, 10_000);
  }, 120_000);
});

async function stopHolder(prefix: string, holder: LockHolder): Promise<void> {
  const keys = new Keys(prefix);
  await new ShardStreams(redis, (shard) => keys.shard(shard).events).append(holder.shard, holder.uid, { type: 'control', control: { action: 'terminate' } });
  await until('hold ended', async () => (await phases(prefix)).get('hold') === 'Failed');
}

// Two schedulers share the shards; the one that owns a running workflow's shard is killed with
// SIGKILL, and the other takes the shard over once its lease expires, finishing the workflow.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { shardOf } from '@regatta/queue';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const env = { REGATTA_LEASE_MS: '1500' };
const services: ReturnType<typeof startService>[] = [];
const TASKS = 200;

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

function schedulerPids(output: string): Map<string, number> {
  const pids = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.includes('scheduler started')) continue;
    const entry = JSON.parse(line) as { id: string; pid: number; owned: number[] };
    pids.set(entry.id, entry.pid);
  }
  return pids;
}

describe('scheduler failover', () => {
  it('finishes a 200-node workflow after the scheduler owning it is killed with SIGKILL', async () => {
    const schedulers = [startService(['scheduler'], prefix, env), startService(['scheduler'], prefix, env)];
    services.push(...schedulers);
    for (let i = 0; i < 2; i++) services.push(startService(['worker', '--concurrency', '6'], prefix, { ...env, LOG_LEVEL: 'debug' }));
    await until('both schedulers to start', async () => (schedulers.every((s) => s.output().includes('scheduler started')) ? true : undefined), 10_000);

    // The two schedulers split the 4 shards between them.
    const splitRedis = new Redis(REDIS_URL);
    const owners = await until('the shards to be split two and two', async () => {
      const held = await Promise.all([0, 1, 2, 3].map((shard) => splitRedis.hget(`${prefix}:{s${shard}}:lease`, 'owner')));
      const counts = new Map<string, number>();
      for (const owner of held) if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      return counts.size === 2 && [...counts.values()].every((n) => n === 2) ? counts : undefined;
    }, 10_000);
    splitRedis.disconnect();
    expect(owners.size).toBe(2);

    const file = join(mkdtempSync(join(tmpdir(), 'regatta-failover-')), 'failover.yaml');
    const tasks = Array.from({ length: TASKS }, (_, i) => `      - {name: t${i}, template: nap}`).join('\n');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: failover}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${tasks}
  - name: nap
    container: {image: busybox, command: [sh, -c, "sleep 0.05"]}
`,
    );
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix, env);

    const redis = new Redis(REDIS_URL);
    try {
      // Wait until the workflow is well under way, then kill the scheduler that owns its shard.
      const uid = await until('the workflow to be stored', async () => (await redis.hget(`${prefix}:names:default`, 'failover')) ?? undefined, 10_000);
      await until('its first nodes', async () => ((await redis.hlen(`${prefix}:{wf:${uid}}:nodes`)) > 0 ? true : undefined), 10_000);
      const shard = shardOf(uid, 4);
      await until('a quarter of the nodes to succeed', async () => {
        const nodes = Object.values(await redis.hgetall(`${prefix}:{wf:${uid}}:nodes`));
        return nodes.filter((json) => json.includes('"phase":"Succeeded"')).length >= TASKS / 4 ? true : undefined;
      }, 20_000);
      const status = JSON.parse((await redis.hget(`${prefix}:{wf:${uid}}:record`, 'status'))!) as { phase: string };
      expect(status.phase).toBe('Running');
      const owner = await redis.hget(`${prefix}:{s${shard}}:lease`, 'owner');
      const pids = schedulerPids(schedulers.map((s) => s.output()).join('\n'));
      const victim = schedulers.find((s) => s.child.pid === pids.get(owner ?? ''));
      expect(victim, `owner ${owner} among ${[...pids.keys()].join(', ')}`).toBeDefined();
      victim!.child.kill('SIGKILL');

      const result = await watched;
      expect(result.stderr).toBe('');
      const workflow = JSON.parse(result.stdout) as Workflow;
      expect(workflow.status?.phase).toBe('Succeeded');
      const pods = Object.values(workflow.status!.nodes!).filter((n) => n.type === 'Pod');
      expect(pods).toHaveLength(TASKS);
      expect(pods.every((n) => n.phase === 'Succeeded')).toBe(true);

      // Every node ran; a rerun can only come from a re-driven outbox, and its result was not applied twice.
      const finished = new Map<string, number>();
      for (const line of services.slice(2).flatMap((s) => s.output().split('\n'))) {
        if (!line.includes('node finished')) continue;
        const { node } = JSON.parse(line) as { node: string };
        finished.set(node, (finished.get(node) ?? 0) + 1);
      }
      for (const pod of pods) expect(finished.get(pod.id) ?? 0).toBeGreaterThanOrEqual(1);
      const newOwner = await redis.hget(`${prefix}:{s${shard}}:lease`, 'owner');
      expect(newOwner).not.toBe(owner);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});

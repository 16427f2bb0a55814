// A worker is killed with SIGKILL while one node of a batch still runs and the batch's other nodes
// have finished. BullMQ hands the batch's job to another worker once its lock lapses; that worker runs
// the node that was cut short, and not the ones whose results the engine already holds.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
// A dead worker's jobs go back to the queue after 5 s instead of BullMQ's 30 s. Not much less: on a
// loaded machine a live worker renews its locks late, and its jobs would be handed on too.
const env = { REGATTA_NODE_LOCK_MS: '5000' };
const services: ReturnType<typeof startService>[] = [];
// Over 100 nodes dispatched at once travel ten to a job; a worker of concurrency 40 keeps whole batches,
// one of concurrency 4 keeps one node of each and hands the rest on as a new job.
const ITEMS = 110;
const SLOW = 5;

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('worker crash', () => {
  it('runs again only the node of a batch that was cut short, not those that had finished', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regatta-worker-crash-'));
    // The workers' operator allows the nodes that one host folder.
    const workerEnv = { ...env, REGATTA_HOSTPATH_ALLOW: dir };
    const ran = join(dir, 'ran');
    const file = join(dir, 'crash.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: crash}
spec:
  entrypoint: main
  # Nodes write where the test reads: a host folder, not their own roots.
  volumes: [{name: shared, hostPath: {path: ${dir}}}]
  templates:
  - name: main
    steps:
    - - name: mark
        template: mark
        arguments: {parameters: [{name: n, value: "{{item}}"}]}
        withSequence: {count: "${ITEMS}"}
  - name: mark
    inputs: {parameters: [{name: n}]}
    container:
      image: busybox
      command: [sh, -c, 'echo {{inputs.parameters.n}} >> /shared/ran; if [ {{inputs.parameters.n}} = ${SLOW} ] && [ ! -e /shared/slept ]; then touch /shared/slept; sleep 60; fi']
      volumeMounts: [{name: shared, mountPath: /shared}]
`,
    );
    services.push(startService(['scheduler'], prefix, env));
    const first = startService(['worker', '--concurrency', '40'], prefix, workerEnv);
    services.push(first);
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix, env);

    const redis = new Redis(REDIS_URL);
    try {
      // Every node but the slow one has finished and the engine holds its result.
      const uid = await until('the workflow to be stored', async () => (await redis.hget(`${prefix}:names:default`, 'crash')) ?? undefined, 15_000);
      await until('every node but the slow one to succeed', async () => {
        const nodes = Object.values(await redis.hgetall(`${prefix}:{wf:${uid}}:nodes`));
        const succeeded = nodes.filter((json) => json.includes('"type":"Pod"') && json.includes('"phase":"Succeeded"'));
        return succeeded.length === ITEMS - 1 ? true : undefined;
      }, 30_000);
      first.child.kill('SIGKILL');
      // It hands on all but one node of the batch it is given: they must still count as redelivered.
      services.push(startService(['worker', '--concurrency', '4'], prefix, workerEnv));

      const result = await watched;
      expect(result.stderr).toBe('');
      expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');
      const runs = new Map<number, number>();
      for (const line of readFileSync(ran, 'utf8').trim().split('\n')) runs.set(Number(line), (runs.get(Number(line)) ?? 0) + 1);
      expect(runs.size).toBe(ITEMS);
      for (const [item, count] of runs) expect({ item, count }).toEqual({ item, count: item === SLOW ? 2 : 1 });
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});

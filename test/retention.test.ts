// Finished workflows go after the operator's default ttlStrategy unless they say otherwise, and a
// deleted workflow leaves no key behind, even while its node keeps printing, nor a timer still pending.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-retention-'));
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  // Finished workflows that do not say are kept one second.
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn', REGATTA_DEFAULT_TTL_STRATEGY: '{secondsAfterSuccess: 1}' }));
  services.push(startService(['worker', '--concurrency', '4'], prefix, { LOG_LEVEL: 'warn' }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  redis.disconnect();
});

const workflow = (name: string, command: string, spec = '') => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
${spec}
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "${command}"]}
`;

async function submit(name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['submit', file], prefix);
  expect(result.stderr).toBe('');
  // Read at once: with a TTL of a second, `get` may come too late.
  return (await redis.hget(`${prefix}:names:default`, name))!;
}

const phaseOf = async (name: string) => {
  const got = await regatta(['get', name, '-o', 'json'], prefix);
  return got.code === 0 ? (JSON.parse(got.stdout) as Workflow).status?.phase : undefined;
};
const keysOf = (uid: string) => redis.keys(`${prefix}:{wf:${uid}}:*`);

/** The workflow's timers still pending in any shard's sorted set, and its timer index keys. */
async function timersOf(uid: string): Promise<{ pending: number; indexes: string[] }> {
  let pending = 0;
  for (const timers of await redis.keys(`${prefix}:{s*}:timers`)) {
    pending += (await redis.zrange(timers, 0, -1)).filter((member) => (JSON.parse(member) as { u: string }).u === uid).length;
  }
  return { pending, indexes: await redis.keys(`${prefix}:{s*}:timers:${uid}`) };
}

describe('retention', () => {
  it("deletes a finished workflow after the operator's default ttlStrategy, leaving no key; one that says otherwise is kept", async () => {
    const kept = await submit('kept', workflow('kept', 'echo kept', '  ttlStrategy: {secondsAfterSuccess: 3600}'));
    await until('kept to succeed', async () => (await phaseOf('kept')) === 'Succeeded');
    const uid = await submit('defaulted', workflow('defaulted', 'echo one; echo two'));
    await until('defaulted to be deleted', async () => (await keysOf(uid)).length === 0 && (await redis.hget(`${prefix}:names:default`, 'defaulted')) === null);
    expect(await phaseOf('kept')).toBe('Succeeded');
    expect((await keysOf(kept)).length).toBeGreaterThan(0);
  });

  it('deleting a running workflow leaves no key of it, while its node goes on printing until it is killed', async () => {
    // The node ignores SIGTERM, so it prints through the 5 s grace after the delete stops it.
    const uid = await submit('printer', workflow('printer', "trap '' TERM; while true; do echo tick; sleep 0.05; done"));
    await until('the node to print', async () => (await redis.xlen(`${prefix}:{wf:${uid}}:logs`)) > 0);
    expect((await regatta(['delete', 'printer'], prefix)).code).toBe(0);
    // Lines it prints meanwhile reach the worker's log batches, flushed every 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await keysOf(uid)).toEqual([]);
    expect(await redis.hget(`${prefix}:names:default`, 'printer')).toBeNull();
  });

  it('a workflow deleted by its TTL leaves none of its timers pending, nor their index', async () => {
    // The deadline, an hour out, is still pending when the workflow succeeds and its TTL deletes it.
    const uid = await submit('deadlined', workflow('deadlined', 'echo done', '  activeDeadlineSeconds: 3600'));
    await until('deadlined to be deleted', async () => (await keysOf(uid)).length === 0);
    expect(await timersOf(uid)).toEqual({ pending: 0, indexes: [] });
  });

  it('`regatta delete` removes the workflow’s pending timers and their index', async () => {
    const uid = await submit('waiting', `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: waiting}
spec:
  entrypoint: main
  activeDeadlineSeconds: 3600
  templates:
  - name: main
    suspend: {duration: "3600"}
`);
    // Its deadline and its suspend's end, both an hour out.
    await until('both timers to be scheduled', async () => (await timersOf(uid)).pending === 2);
    expect((await timersOf(uid)).indexes).toHaveLength(1);
    expect((await regatta(['delete', 'waiting'], prefix)).code).toBe(0);
    expect(await timersOf(uid)).toEqual({ pending: 0, indexes: [] });
  });
});

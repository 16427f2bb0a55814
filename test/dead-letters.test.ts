// Shard stream entries that cannot be applied go to the shard's dead-letter stream, acknowledged and
// counted, instead of stopping the shard: one that does not decode at once, one whose processing fails
// every time (a workflow record that is not JSON) after its last allowed delivery. One shard, so the
// workflow submitted after them shares it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-dead-letters-'));
const env = { REGATTA_SHARDS: '1' };
const services: ReturnType<typeof startService>[] = [];
const redis = new Redis(REDIS_URL);
const events = `${prefix}:{s0}:events`;

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe('dead letters', () => {
  it('take entries that do not decode or keep failing, and the shard goes on', async () => {
    const scheduler = startService(['scheduler', '--metrics-port', '0'], prefix, env);
    services.push(scheduler, startService(['worker', '--executor', 'noop'], prefix, env));
    await until('the scheduler to own the shard', async () => (await redis.hget(`${prefix}:{s0}:lease`, 'owner')) ?? undefined);

    await redis.xadd(events, '*', 'u', 'some-uid', 'e', '{"type": "nodeFinished", "nodeId": ');
    await redis.xadd(events, '*', 'b', JSON.stringify([['some-uid', { type: 'nodeFinished', nodeId: 'n', attempt: 'first', phase: 'Succeeded' }]]));
    // A workflow whose stored record is not JSON: loading it fails on every delivery of its event.
    await redis.hset(`${prefix}:{wf:broken-uid}:record`, { resource: '{broken', status: '{}', version: 1, epoch: 0, shard: 0 });
    await redis.xadd(events, '*', 'u', 'broken-uid', 'e', JSON.stringify({ type: 'workflowSubmitted' }));

    const file = join(dir, 'after.yaml');
    writeFileSync(file, 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: after}\nspec:\n  entrypoint: main\n  templates:\n  - {name: main, container: {image: busybox, command: [echo, after]}}\n');
    const result = await regatta(['submit', file, '--watch', '-o', 'json'], prefix, env);
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');

    const dead = await until('three dead letters', async () => {
      const entries = await redis.xrange(`${prefix}:{s0}:dead`, '-', '+');
      return entries.length === 3 && entries.map(([, fields]) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i], fields[2 * i + 1]])));
    });
    expect(dead.map(({ reason }) => reason)).toEqual(['field e is not JSON', expect.stringMatching(/^event attempt: /), expect.stringMatching(/JSON/)]);
    expect(dead[2]).toMatchObject({ content: '[["broken-uid",{"type":"workflowSubmitted"}]]', deliveries: '5' });
    expect((await redis.xpending(events, 'schedulers'))[0]).toBe(0);

    const line = scheduler.output().split('\n').find((l) => l.includes('serving /metrics'))!;
    const text = await (await fetch(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/metrics`)).text();
    expect(text).toMatch(/^regatta_dead_letters_total\{reason="undecodable"\} 2$/m);
    expect(text).toMatch(/^regatta_dead_letters_total\{reason="failing"\} 1$/m);
    const logged = scheduler.output().split('\n').filter((l) => l.includes('dead-lettered')).map((l) => JSON.parse(l) as { msg: string; uids?: string[] });
    expect(logged.map(({ msg }) => msg)).toEqual([
      'shard entry dead-lettered: it does not decode',
      'shard entry dead-lettered: it does not decode',
      'shard entry dead-lettered: it failed on every delivery',
    ]);
    expect(logged[2]!.uids).toEqual(['broken-uid']);
  }, 60_000);
});

// Finished workflows go after the operator's default ttlStrategy unless they say otherwise, and a
// deleted workflow leaves no key behind, even while its node keeps printing.
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
});

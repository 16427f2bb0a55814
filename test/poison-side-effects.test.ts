// A command of a workflow's outbox that fails every time (a custom metric prom-client refuses, a claim
// folder that cannot be removed) is retried a few times, logged, counted and set aside: it stops
// neither its workflow's shard nor the scheduler's own metrics. One shard, so every workflow shares it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-poison-'));
// The claims live under <volumes>/workflows/<uid>; a file in the way makes every removal fail (ENOTDIR).
const volumesDir = join(dir, 'volumes');
const env = { REGATTA_SHARDS: '1', REGATTA_VOLUMES_DIR: volumesDir };
const services: ReturnType<typeof startService>[] = [];

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

async function metricsText(scheduler: ReturnType<typeof startService>): Promise<string> {
  const line = await until('the metrics port', async () => scheduler.output().split('\n').find((l) => l.includes('serving /metrics')));
  const response = await fetch(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

async function submit(name: string, yaml: string): Promise<Workflow> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['submit', file, '--watch', '-o', 'json'], prefix, env);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Workflow;
}

describe('a side effect that always fails', () => {
  it('is set aside, and the shard goes on with the next workflow', async () => {
    mkdirSync(volumesDir, { recursive: true });
    writeFileSync(join(volumesDir, 'workflows'), 'in the way');
    const scheduler = startService(['scheduler', '--metrics-port', '0'], prefix, env);
    services.push(scheduler, startService(['worker', '--executor', 'noop'], prefix, env));

    // Each metric passes submission, but what its expressions make cannot be emitted: a name the
    // scheduler's own metrics use, a counter going down, an empty help.
    const poisoned = await submit(
      'poisoned',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: poisoned}
spec:
  entrypoint: main
  arguments: {parameters: [{name: delta, value: "-1"}, {name: help, value: ""}]}
  volumeClaimTemplates:
  - metadata: {name: workdir}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
  metrics:
    prometheus:
    - {name: count, help: "Clashes with the scheduler's argo_workflows_count", gauge: {value: "1"}}
    - {name: going_down, help: "A counter given a negative value", counter: {value: "{{workflow.parameters.delta}}"}}
    - {name: helpless, help: "{{workflow.parameters.help}}", gauge: {value: "1"}}
    - {name: fine, help: "Emitted beside the others", gauge: {value: "7"}}
  templates:
  - name: main
    container: {image: busybox, command: [echo, hi]}
`,
    );
    expect(poisoned.status?.phase).toBe('Succeeded');

    const next = await submit('next', `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: next}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [echo, next]}
`);
    expect(next.status?.phase).toBe('Succeeded');

    const text = await until('the failed claim removal to be counted', async () => {
      const scraped = await metricsText(scheduler);
      return /^regatta_side_effects_dropped_total\{command="deleteVolumeClaims"\} 1$/m.test(scraped) && scraped;
    });
    expect(text).toMatch(/^argo_workflows_fine 7$/m);
    expect(text).not.toMatch(/^argo_workflows_going_down/m);
    expect(text).toMatch(/^argo_workflows_error_count\{cause="custom-metric"\} 3$/m);
    // The scheduler's own gauge is served once, as a gauge.
    expect(text.match(/^# TYPE argo_workflows_count .*$/gm)).toEqual(['# TYPE argo_workflows_count gauge']);
    expect(text).toMatch(/^regatta_side_effect_errors_total\{command="deleteVolumeClaims"\} 3$/m);

    const setAside = scheduler.output().split('\n').filter((line) => line.includes('side effect set aside'));
    expect(setAside).toHaveLength(1);
    expect(JSON.parse(setAside[0]!)).toMatchObject({ uid: poisoned.metadata.uid, command: 'deleteVolumeClaims', attempts: 3, err: { code: 'ENOTDIR' } });
    expect(scheduler.output()).not.toContain('shard batch failed');

    const redis = new Redis(REDIS_URL);
    try {
      expect((await redis.xpending(`${prefix}:{s0}:events`, 'schedulers'))[0]).toBe(0);
      expect(await redis.llen(`${prefix}:{wf:${poisoned.metadata.uid}}:outbox`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});

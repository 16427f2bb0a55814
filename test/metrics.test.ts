// /metrics on scheduler and worker, with Argo's names where Argo has them, and a Grafana dashboard
// that only asks for metrics that exist.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ShardStreams, shardOf } from '@regatta/queue';
import type { Workflow } from '@regatta/spec';
import { Keys } from '@regatta/store';
import { ROOT, regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const prefixes = [prefix];

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  for (const each of prefixes) await removePrefix(each);
});

async function metricsOf(service: ReturnType<typeof startService>): Promise<string> {
  const deadline = Date.now() + 10_000;
  let port: number | undefined;
  while (port === undefined && Date.now() < deadline) {
    const line = service.output().split('\n').find((l) => l.includes('serving /metrics'));
    port = line ? (JSON.parse(line) as { port: number }).port : undefined;
    if (port === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Metric names a PromQL expression reads (identifiers with an underscore, less PromQL's functions). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/[a-z_][a-z0-9_]*/g)].map((m) => m[0]).filter((name) => name.includes('_') && name !== 'histogram_quantile');
}

/** A series name exists when it is a metric, or a histogram's _bucket/_sum/_count series. */
function isExposed(name: string, types: Map<string, string>): boolean {
  const histogram = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
  return types.has(name) || (histogram !== undefined && types.get(histogram) === 'histogram');
}

describe('metrics', () => {
  it('serves Argo-named and Regatta metrics, and the dashboard queries only those', async () => {
    const scheduler = startService(['scheduler', '--metrics-port', '0'], prefix);
    const worker = startService(['worker', '--metrics-port', '0', '--executor', 'noop'], prefix);
    services.push(scheduler, worker);
    const run = await regatta(['submit', 'examples/steps.yaml', '--watch', '-o', 'json'], prefix);
    expect(run.code).toBe(0);

    // The scheduler counts a finished workflow after storing it, so a watcher can see it end first.
    await expect.poll(async () => metricsOf(scheduler), { timeout: 5_000 }).toMatch(/^regatta_workflows_finished_total\{phase="Succeeded"\} 1$/m);
    const text = `${await metricsOf(scheduler)}\n${await metricsOf(worker)}`;
    expect(text).toMatch(/^argo_workflows_pods_total\{phase="Succeeded"\} 4$/m);
    expect(text).toMatch(/^regatta_workflows_finished_total\{phase="Succeeded"\} 1$/m);
    // A late copy of a result (a redelivered job's) for the ended workflow is ignored, and does not count its end again.
    const ended = JSON.parse(run.stdout) as Workflow;
    const uid = ended.metadata.uid!;
    const pod = Object.values(ended.status!.nodes!).find((node) => node.type === 'Pod')!;
    const redis = new Redis(REDIS_URL);
    try {
      const streams = new ShardStreams(redis, (shard) => new Keys(prefix).shard(shard).events);
      await streams.append(shardOf(uid, 4), uid, { type: 'nodeFinished', nodeId: pod.id, attempt: 0, phase: 'Succeeded', outputs: {}, finishedAt: pod.finishedAt });
    } finally {
      redis.disconnect();
    }
    await expect.poll(async () => metricsOf(scheduler), { timeout: 5_000 }).toMatch(/^regatta_duplicate_events_total 1$/m);
    expect(await metricsOf(scheduler)).toMatch(/^regatta_workflows_finished_total\{phase="Succeeded"\} 1$/m);
    expect(text).toMatch(/^regatta_dispatch_latency_seconds_count 4$/m);
    expect(text).toMatch(/^argo_workflows_operation_duration_seconds_count \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);

    const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const dashboard = JSON.parse(readFileSync(`${ROOT}deploy/kubernetes/grafana/regatta.json`, 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const queried = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => metricNames(target.expr)));
    expect(queried.length).toBeGreaterThan(10);
    for (const name of queried) expect(isExposed(name, types), `dashboard metric ${name}`).toBe(true);
    expect(isExposed('regatta_no_such_metric', types)).toBe(false);
  });

  it("serves a workflow's own metrics: template counters and histograms with when, workflow gauges", async () => {
    // A prefix of its own: the first test's scheduler would otherwise share the shards.
    const own = uniquePrefix();
    prefixes.push(own);
    const scheduler = startService(['scheduler', '--metrics-port', '0'], own);
    services.push(scheduler, startService(['worker'], own));
    const file = join(mkdtempSync(join(tmpdir(), 'regatta-metrics-')), 'custom.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: custom-metrics-}
spec:
  entrypoint: main
  metrics:
    prometheus:
    - name: wf_duration
      help: Duration of the workflow
      labels: [{key: status, value: "{{workflow.status}}"}]
      gauge: {value: "{{workflow.duration}}"}
  templates:
  - name: main
    steps:
    - - {name: pick, template: pick}
      - {name: fail, template: fail, continueOn: {failed: true}}
  - name: pick
    metrics:
      prometheus:
      - name: picked_value
        help: The value picked
        when: "{{status}} == Succeeded"
        histogram: {value: "{{outputs.parameters.n}}", buckets: [1, 5, 10]}
      - name: runs_by_status
        help: Runs by status
        labels: [{key: status, value: "{{status}}"}]
        counter: {value: "1"}
    container: {image: busybox, command: [sh, -c, "echo 4 > /tmp/n"]}
    outputs: {parameters: [{name: n, valueFrom: {path: /tmp/n}}]}
  - name: fail
    metrics:
      prometheus:
      - name: runs_by_status
        help: Runs by status
        labels: [{key: status, value: "{{status}}"}]
        counter: {value: "1"}
      - name: never
        help: Emitted only on success
        when: "{{status}} == Succeeded"
        counter: {value: "1"}
    container: {image: busybox, command: [sh, -c, "exit 1"]}
`,
    );
    const run = await regatta(['submit', file, '--watch', '-o', 'json'], own);
    expect(run.stderr).toBe('');
    const text = await metricsOf(scheduler);
    expect(text).toMatch(/^argo_workflows_picked_value_bucket\{le="5"\} 1$/m);
    expect(text).toMatch(/^argo_workflows_picked_value_bucket\{le="1"\} 0$/m);
    expect(text).toMatch(/^argo_workflows_runs_by_status\{status="Succeeded"\} 1$/m);
    expect(text).toMatch(/^argo_workflows_runs_by_status\{status="Failed"\} 1$/m);
    expect(text).not.toMatch(/^argo_workflows_never/m);
    expect(text).toMatch(/^argo_workflows_wf_duration\{status="Succeeded"\} \d+(\.\d+)?$/m);
  });
});

import { describe, expect, it } from 'vitest';
import type { CustomMetric } from '@regatta/spec';
import { CustomMetrics } from './custom-metrics.js';
import { SchedulerMetrics } from './metrics.js';

const counter = (name: string, labels: Record<string, string> = {}, value = 1): CustomMetric => ({ name, help: `${name} help`, kind: 'counter', labels, value });

/** Custom metrics beside the scheduler's, on a clock the test moves. */
function customAt(ttlMs: number): { custom: CustomMetrics; text(): Promise<string>; advance(ms: number): void } {
  let now = 1_000_000;
  const custom = new CustomMetrics({ reserved: new SchedulerMetrics().registry, ttlMs, now: () => now });
  const text = () => (custom.expire(), custom.registry.metrics());
  return { custom, text, advance: (ms) => (now += ms) };
}

describe("workflows' own metrics", () => {
  it("never take a name the scheduler serves, and /metrics keeps serving both", async () => {
    const metrics = new SchedulerMetrics();
    const { custom } = metrics;
    // argo_workflows_count is the scheduler's gauge; argo_workflows_operation_duration_seconds_count a series of its histogram.
    expect(custom.emit(counter('count'))).toMatch(/would clash with "argo_workflows_count"/);
    expect(custom.emit({ ...counter('operation_duration_seconds_count'), kind: 'gauge' })).toMatch(/clash/);
    expect(custom.emit(counter('runs', { status: 'Succeeded' }))).toBeUndefined();
    const text = await metrics.metrics();
    expect(text.match(/^# TYPE argo_workflows_count /gm)).toEqual(['# TYPE argo_workflows_count ']);
    expect(text).toMatch(/^# TYPE argo_workflows_count gauge$/m);
    expect(text).toMatch(/^argo_workflows_runs\{status="Succeeded"\} 1$/m);
    expect(text).toMatch(/^# TYPE regatta_workflows_finished_total counter$/m);
  });

  it('refuse what expressions made of them at run time, without throwing', () => {
    const { custom } = customAt(60_000);
    expect(custom.emit(counter('down', {}, -1))).toMatch(/cannot go down/);
    expect(custom.emit(counter('labelled', { 'bad-label': 'x' }))).toMatch(/metric label "bad-label" is invalid/);
    expect(custom.emit({ ...counter('helpless'), help: '' })).toMatch(/empty help/);
    expect(custom.emit({ ...counter('bucketed'), kind: 'histogram', labels: { le: '1' } })).toMatch(/"le" is reserved/);
    expect(custom.emit(counter('twice', { a: 'x' }))).toBeUndefined();
    expect(custom.emit(counter('twice', { b: 'x' }))).toMatch(/first emitted as a counter with labels \[a\]/);
  });

  it('drop a label set not updated for the TTL, and a metric left without any', async () => {
    const { custom, text: scrape, advance } = customAt(60_000);
    custom.emit(counter('runs', { workflow: 'old' }));
    advance(40_000);
    custom.emit(counter('runs', { workflow: 'new' }));
    custom.emit({ name: 'running', help: 'h', kind: 'gauge', labels: {}, value: 0, realtimeSince: new Date(0).toISOString() });
    advance(30_000);
    let text = await scrape();
    expect(text).not.toMatch(/workflow="old"/);
    expect(text).toMatch(/^argo_workflows_runs\{workflow="new"\} 1$/m);
    advance(60_000);
    text = await scrape();
    expect(text).not.toMatch(/^argo_workflows_runs/m);
    // A realtime gauge lives while its node runs, however long.
    expect(text).toMatch(/^argo_workflows_running \d+/m);
    // Gone for good: the name may come back as another kind.
    expect(custom.emit({ ...counter('runs'), kind: 'gauge' })).toBeUndefined();
  });
});

// Workflow-defined metrics (Argo's `metrics.prometheus`), kept in a registry of their own so a spec
// cannot clash with the scheduler's metrics: each is created on first use as `argo_workflows_<name>`,
// and a name keeps the kind, help and label names it was first used with, as Argo requires.
import type { CustomMetric } from '@regatta/spec';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';


type Instrument = { kind: 'gauge'; metric: Gauge } | { kind: 'counter'; metric: Counter } | { kind: 'histogram'; metric: Histogram };

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export class CustomMetrics {
  private readonly instruments = new Map<string, { instrument: Instrument; labelNames: string[] }>();
  /** Realtime gauges' start times, by metric name and then by their label set. */
  private readonly realtime = new Map<string, Map<string, { labels: Record<string, string>; since: number }>>();

  constructor(private readonly registry: Registry) {}

  /** Records one emission; returns why it was refused, if it was. */
  emit(metric: CustomMetric): string | undefined {
    if (!NAME.test(metric.name)) return `metric name "${metric.name}" must be letters, digits and "_"`;
    const labelNames = Object.keys(metric.labels).sort();
    const entry = this.instrument(metric, labelNames);
    if (typeof entry === 'string') return entry;
    const key = JSON.stringify(labelNames.map((name) => metric.labels[name]));
    const { instrument } = entry;
    if (instrument.kind === 'counter') instrument.metric.inc(metric.labels, metric.value);
    else if (instrument.kind === 'histogram') instrument.metric.observe(metric.labels, metric.value);
    else if (metric.realtimeSince !== undefined) {
      const series = this.realtime.get(metric.name) ?? new Map();
      series.set(key, { labels: metric.labels, since: Date.parse(metric.realtimeSince) });
      this.realtime.set(metric.name, series);
    } else {
      this.realtime.get(metric.name)?.delete(key);
      if (metric.operation === 'Add') instrument.metric.inc(metric.labels, metric.value);
      else if (metric.operation === 'Sub') instrument.metric.dec(metric.labels, metric.value);
      else instrument.metric.set(metric.labels, metric.value);
    }
    return undefined;
  }

  private instrument(metric: CustomMetric, labelNames: string[]): { instrument: Instrument; labelNames: string[] } | string {
    const name = `argo_workflows_${metric.name}`;
    const existing = this.instruments.get(metric.name);
    if (existing) {
      if (existing.instrument.kind !== metric.kind || existing.labelNames.join() !== labelNames.join()) {
        return `metric "${name}" was first emitted as a ${existing.instrument.kind} with labels [${existing.labelNames.join(', ')}]`;
      }
      return existing;
    }
    const common = { name, help: metric.help, labelNames, registers: [this.registry] };
    let instrument: Instrument;
    if (metric.kind === 'counter') instrument = { kind: 'counter', metric: new Counter(common) };
    else if (metric.kind === 'histogram') instrument = { kind: 'histogram', metric: new Histogram({ ...common, buckets: metric.buckets ?? [0.1, 1, 10, 60, 600] }) };
    else {
      const realtime = this.realtime;
      instrument = {
        kind: 'gauge',
        metric: new Gauge({
          ...common,
          // Realtime gauges are read when scraped, so they follow a running node without any timer.
          collect() {
            for (const { labels, since } of realtime.get(metric.name)?.values() ?? []) this.set(labels, (Date.now() - since) / 1000);
          },
        }),
      };
    }
    const entry = { instrument, labelNames };
    this.instruments.set(metric.name, entry);
    return entry;
  }
}

// Workflow-defined metrics (Argo's `metrics.prometheus`), kept in a registry of their own so a spec
// can never clash with or break the scheduler's metrics: each is created on first use as
// `argo_workflows_<name>`, a name keeps the kind, help and label names it was first used with (as Argo
// requires), a name the scheduler's registry already serves is refused, and a label set not updated for
// the TTL is dropped (Argo's `metricsTTL`), so labels such as a workflow's name cannot grow without bound.
import { labelKeyProblem, metricNameProblem, type CustomMetric } from '@regatta/spec';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

type Instrument = { kind: 'gauge'; metric: Gauge } | { kind: 'counter'; metric: Counter } | { kind: 'histogram'; metric: Histogram };

interface Series {
  labels: Record<string, string>;
  updatedAt: number;
  /** A realtime gauge's start: its value follows the clock until a final value is set. */
  since?: number;
}

interface Entry {
  instrument: Instrument;
  labelNames: string[];
  /** By the JSON of the label values, in label-name order. */
  series: Map<string, Series>;
}

export interface CustomMetricsOptions {
  /** The scheduler's own metrics: a custom metric may not take one of their names. */
  reserved: Registry;
  /** A label set not updated for this long is dropped (0 keeps them all). */
  ttlMs: number;
  now?: () => number;
}

/** Ten minutes, as Argo's documentation suggests for `metricsTTL`: longer than any scrape interval. */
export const DEFAULT_CUSTOM_METRICS_TTL_MS = 10 * 60_000;
const EXPIRY_INTERVAL_MS = 1000;

export class CustomMetrics {
  readonly registry = new Registry();
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  /** When series were last expired (this.now()). */
  private expiredAt = 0;

  constructor(private readonly options: CustomMetricsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Records one emission; returns why it was refused, if it was. Never throws. */
  emit(metric: CustomMetric): string | undefined {
    // Expiry walks every series: on this path (every node's emission) at most once a second.
    if (this.now() - this.expiredAt >= EXPIRY_INTERVAL_MS) this.expire();
    try {
      const labelNames = Object.keys(metric.labels).sort();
      const problem = emissionProblem(metric, labelNames);
      if (problem) return problem;
      const entry = this.entry(metric, labelNames);
      if (typeof entry === 'string') return entry;
      record(entry.instrument, metric);
      const key = JSON.stringify(labelNames.map((name) => metric.labels[name]));
      const since = metric.realtimeSince === undefined ? undefined : Date.parse(metric.realtimeSince);
      entry.series.set(key, { labels: metric.labels, updatedAt: this.now(), ...(since !== undefined && { since }) });
      return undefined;
    } catch (error) {
      // prom-client refusing what the checks above let through must not reach the caller either.
      return (error as Error).message;
    }
  }

  /** Drops label sets older than the TTL, and metrics left with none; realtime gauges live while they run. */
  expire(): void {
    this.expiredAt = this.now();
    if (this.options.ttlMs <= 0) return;
    const oldest = this.expiredAt - this.options.ttlMs;
    for (const [name, entry] of this.entries) {
      for (const [key, series] of entry.series) {
        if (series.since !== undefined || series.updatedAt >= oldest) continue;
        entry.instrument.metric.remove(series.labels);
        entry.series.delete(key);
      }
      if (entry.series.size > 0) continue;
      this.registry.removeSingleMetric(`argo_workflows_${name}`);
      this.entries.delete(name);
    }
  }

  private entry(metric: CustomMetric, labelNames: string[]): Entry | string {
    const name = `argo_workflows_${metric.name}`;
    const existing = this.entries.get(metric.name);
    if (existing) {
      if (existing.instrument.kind !== metric.kind || existing.labelNames.join() !== labelNames.join()) {
        return `metric "${name}" was first emitted as a ${existing.instrument.kind} with labels [${existing.labelNames.join(', ')}]`;
      }
      return existing;
    }
    const taken = seriesNames(name, metric.kind).find((series) => this.servedNames().has(series));
    if (taken) return `metric "${name}" would clash with "${taken}", which is already served`;
    const common = { name, help: metric.help, labelNames, registers: [this.registry] };
    let instrument: Instrument;
    if (metric.kind === 'counter') instrument = { kind: 'counter', metric: new Counter(common) };
    else if (metric.kind === 'histogram') instrument = { kind: 'histogram', metric: new Histogram({ ...common, buckets: metric.buckets ?? [0.1, 1, 10, 60, 600] }) };
    else instrument = { kind: 'gauge', metric: this.gauge(common, metric.name) };
    const entry: Entry = { instrument, labelNames, series: new Map() };
    this.entries.set(metric.name, entry);
    return entry;
  }

  private gauge(common: { name: string; help: string; labelNames: string[]; registers: Registry[] }, name: string): Gauge {
    const { entries, now } = this;
    return new Gauge({
      ...common,
      // Realtime gauges are read when scraped, so they follow a running node without any timer.
      collect() {
        for (const { labels, since } of entries.get(name)?.series.values() ?? []) if (since !== undefined) this.set(labels, (now() - since) / 1000);
      },
    });
  }

  /** Every series name both registries serve (a histogram's `_bucket`, `_sum` and `_count` included). */
  private servedNames(): Set<string> {
    const names = new Set<string>();
    for (const registry of [this.options.reserved, this.registry]) {
      for (const metric of registry.getMetricsAsArray()) {
        const { name, type } = metric as unknown as { name: string; type: string };
        for (const series of seriesNames(name, type)) names.add(series);
      }
    }
    return names;
  }
}

function seriesNames(name: string, kind: string): string[] {
  return kind === 'histogram' || kind === 'summary' ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/** What the spec's expressions can still get wrong at run time (submission checked the literals). */
function emissionProblem(metric: CustomMetric, labelNames: string[]): string | undefined {
  const problem = metricNameProblem(metric.name) ?? labelNames.map((key) => labelKeyProblem(key, metric.kind)).find((p) => p !== undefined);
  if (problem) return problem;
  if (metric.help.trim() === '') return `metric "${metric.name}" has an empty help text`;
  if (!Number.isFinite(metric.value)) return `metric "${metric.name}" has no numeric value`;
  if (metric.kind === 'counter' && metric.value < 0) return `counter "${metric.name}" cannot go down (value ${metric.value})`;
  return undefined;
}

function record(instrument: Instrument, metric: CustomMetric): void {
  if (instrument.kind === 'counter') instrument.metric.inc(metric.labels, metric.value);
  else if (instrument.kind === 'histogram') instrument.metric.observe(metric.labels, metric.value);
  else if (metric.realtimeSince !== undefined) return;
  else if (metric.operation === 'Add') instrument.metric.inc(metric.labels, metric.value);
  else if (metric.operation === 'Sub') instrument.metric.dec(metric.labels, metric.value);
  else instrument.metric.set(metric.labels, metric.value);
}

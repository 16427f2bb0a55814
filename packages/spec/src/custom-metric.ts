// One emission of a workflow-defined metric (Argo's `metrics.prometheus`), as the engine asks for it and
// the scheduler's registry records it: the shared vocabulary of both, with Prometheus' naming rules,
// which submission checks on the spec and the registry checks again on the values expressions gave.

export interface CustomMetric {
  /** Argo's name, without the `argo_workflows_` prefix the registry adds. */
  name: string;
  help: string;
  kind: 'gauge' | 'counter' | 'histogram';
  labels: Record<string, string>;
  value: number;
  operation?: 'Set' | 'Add' | 'Sub';
  buckets?: number[];
  /** A realtime gauge: its value is the seconds since this time, read at each scrape. */
  realtimeSince?: string;
}

/** Prometheus' metric name rule (Argo checks a custom metric's name with it). */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus' label name rule; names starting with `__` are Prometheus' own. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `name` cannot name a metric, if it cannot. */
export function metricNameProblem(name: string): string | undefined {
  return METRIC_NAME.test(name) ? undefined : `metric name "${name}" is invalid: names may only contain letters, digits, "_" or ":" and may not start with a digit`;
}

/** Why `key` cannot name a label of a metric of this kind, if it cannot. */
export function labelKeyProblem(key: string, kind: CustomMetric['kind'] | undefined): string | undefined {
  if (!LABEL_NAME.test(key)) return `metric label "${key}" is invalid: label names may only contain letters, digits and "_" and may not start with a digit`;
  if (key.startsWith('__')) return `metric label "${key}" is invalid: names starting with "__" are reserved by Prometheus`;
  if (key === 'le' && kind === 'histogram') return 'metric label "le" is reserved for the buckets of a histogram';
  return undefined;
}

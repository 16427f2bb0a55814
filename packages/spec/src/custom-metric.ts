// One emission of a workflow-defined metric (Argo's `metrics.prometheus`), as the engine asks for it and
// the scheduler's registry records it: the shared vocabulary of both.

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

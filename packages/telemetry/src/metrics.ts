// Prometheus metrics of the scheduler and the worker: Argo's controller names where Argo has one
// (so existing dashboards and alerts carry over), `regatta_*` for what is Regatta's own.
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CustomMetrics, DEFAULT_CUSTOM_METRICS_TTL_MS } from './custom-metrics.js';

/** What `/metrics` serves: a registry, or several served as one. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface SchedulerMetricsOptions {
  /** How long a workflow-defined metric's label set lives without an update (Argo's `metricsTTL`); 0 keeps them. */
  customMetricsTtlMs?: number;
}

export class SchedulerMetrics implements MetricsSource {
  readonly registry = new Registry();
  /** Workflows this scheduler holds, by phase (Argo: argo_workflows_count). */
  readonly workflows = new Gauge({ name: 'argo_workflows_count', help: 'Workflows held by this scheduler, by phase', labelNames: ['phase'], registers: [this.registry] });
  readonly finished = new Counter({ name: 'regatta_workflows_finished_total', help: 'Workflows that ended, by phase', labelNames: ['phase'], registers: [this.registry] });
  readonly operationDuration = new Histogram({
    name: 'argo_workflows_operation_duration_seconds',
    help: 'Time to apply one batch of events to one workflow, store it and carry out its commands',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({ name: 'argo_workflows_queue_depth_count', help: 'Events waiting on the shard streams this scheduler owns', labelNames: ['queue'], registers: [this.registry] });
  readonly nodes = new Counter({ name: 'argo_workflows_pods_total', help: 'Node results applied, by phase', labelNames: ['phase'], registers: [this.registry] });
  readonly dispatched = new Counter({ name: 'regatta_nodes_dispatched_total', help: 'Node jobs enqueued', registers: [this.registry] });
  readonly duplicates = new Counter({ name: 'regatta_duplicate_events_total', help: 'Events ignored because they were already applied', registers: [this.registry] });
  readonly errors = new Counter({ name: 'argo_workflows_error_count', help: 'Errors, by cause', labelNames: ['cause'], registers: [this.registry] });
  readonly shardsOwned = new Gauge({ name: 'regatta_shards_owned', help: 'Shards whose lease this scheduler holds', registers: [this.registry] });
  readonly fenced = new Counter({ name: 'regatta_fenced_writes_total', help: 'Writes refused because a newer lease owns the workflow', registers: [this.registry] });
  readonly cronTriggered = new Counter({ name: 'argo_workflows_cronworkflows_triggered_total', help: 'Workflows started by CronWorkflows', labelNames: ['name', 'namespace'], registers: [this.registry] });
  readonly cronPolicy = new Counter({
    name: 'argo_workflows_cronworkflows_concurrencypolicy_triggered',
    help: 'Ticks on which a CronWorkflow applied its concurrencyPolicy (Forbid skipped, Replace terminated)',
    labelNames: ['name', 'namespace', 'concurrency_policy'],
    registers: [this.registry],
  });
  readonly sideEffectErrors = new Counter({
    name: 'regatta_side_effect_errors_total',
    help: 'Attempts to carry out an outbox command that failed, by command',
    labelNames: ['command'],
    registers: [this.registry],
  });
  readonly sideEffectsDropped = new Counter({
    name: 'regatta_side_effects_dropped_total',
    help: 'Outbox commands given up after their retries, by command',
    labelNames: ['command'],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'regatta_dead_letters_total',
    help: 'Shard stream entries moved to the dead-letter stream, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly lostJobs = new Counter({
    name: 'regatta_lost_jobs_total',
    help: 'Node jobs lost without a result, whose nodes were ended in Error: failed (jobs BullMQ gave up) or missing (nodes whose job is gone)',
    labelNames: ['cause'],
    registers: [this.registry],
  });
  readonly submissionsSettled = new Counter({
    name: 'regatta_submissions_settled_total',
    help: 'Submissions left half-way by their submitter and settled by the sweep, by outcome (announced, rolledBack)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  /** Metrics the workflows themselves define (`metrics.prometheus`), in a registry of their own. */
  readonly custom: CustomMetrics;

  constructor(options: SchedulerMetricsOptions = {}) {
    collectDefaultMetrics({ register: this.registry });
    this.custom = new CustomMetrics({ reserved: this.registry, ttlMs: options.customMetricsTtlMs ?? DEFAULT_CUSTOM_METRICS_TTL_MS });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The scheduler's metrics, then the workflows' own; their names never clash (CustomMetrics refuses a taken one). */
  async metrics(): Promise<string> {
    this.custom.expire();
    const [own, custom] = await Promise.all([this.registry.metrics(), this.custom.registry.metrics()]);
    return custom.trim() === '' ? own : `${own}\n${custom}`;
  }
}

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly nodeDuration = new Histogram({
    name: 'regatta_node_duration_seconds',
    help: 'Time a node ran in its executor, by phase',
    labelNames: ['phase'],
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [this.registry],
  });
  readonly dispatchLatency = new Histogram({
    name: 'regatta_dispatch_latency_seconds',
    help: 'Time from a node job being enqueued to a worker starting it',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly running = new Gauge({ name: 'regatta_nodes_running', help: 'Nodes running on this worker', registers: [this.registry] });
  readonly concurrency = new Gauge({ name: 'regatta_worker_concurrency', help: 'Nodes this worker runs at most at once', registers: [this.registry] });
  readonly poolDepth = new Gauge({ name: 'regatta_pool_queue_depth', help: 'Node jobs in the pool queue, by state', labelNames: ['pool', 'state'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Serves `GET /metrics` on loopback by default; port 0 picks a free one. */
export function serveMetrics(source: MetricsSource, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    source.metrics().then(
      (text) => response.writeHead(200, { 'content-type': source.contentType }).end(text),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

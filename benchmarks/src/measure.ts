// Submits workloads to a running system and measures them: wall time to the last Succeeded, the
// time until a lone workflow's every node was dispatched, hop latency from BullMQ's own event stream
// (a node's job going active after its last dependency's job completed), and Redis memory per node.
import type { Redis } from 'ioredis';
import { prepareWorkflow, submitWorkflow } from '@regatta/client';
import { workflowEnded, nodeId } from '@regatta/spec';
import { Keys } from '@regatta/store';
import type { Workload } from './workloads.js';

export interface RunMeasurement {
  seconds: number;
  /**
   * For a single workflow: until every node existed and its outbox was empty, i.e. every node's job
   * had been added to the queue (polled every few ms). Undefined for several workflows.
   */
  dispatchedSeconds?: number;
  phases: Record<string, number>;
  /** Over the nodes whose events BullMQ's capped event stream (10,000 entries) still holds. */
  hopLatencyMs: { p50: number; p99: number; sampled: number } | null;
  redisBytesPerNode: number;
}

export async function runWorkloads(redis: Redis, prefix: string, shards: number, workloads: Workload[]): Promise<RunMeasurement> {
  const keys = new Keys(prefix);
  const before = await usedMemory(redis);
  const prepared = workloads.map((w, i) => ({ workload: w, workflow: prepareWorkflow(w.yaml, `bench-${i}.yaml`, { shards }) }));
  const started = performance.now();
  const lone = prepared.length === 1 ? prepared[0]! : undefined;
  const polling = { stopped: false };
  const dispatched = lone && whenDispatched(redis, keys.workflow(lone.workflow.metadata.uid!), lone.workload.nodes, polling);
  await Promise.all(prepared.map(({ workflow }) => submitWorkflow(redis, prefix, workflow, shards)));
  const phases = await waitForAll(redis, prepared.map(({ workflow }) => keys.workflow(workflow.metadata.uid!).record));
  const seconds = (performance.now() - started) / 1000;
  polling.stopped = true;
  const dispatchedAt = await dispatched;
  const dispatchedSeconds = dispatchedAt === undefined ? undefined : (dispatchedAt - started) / 1000;
  const nodes = workloads.reduce((sum, w) => sum + w.nodes, 0);
  const after = await usedMemory(redis);
  const events = await jobEvents(redis, `${keys.pool('default')}:nodes:events`);
  const hops = hopLatencies(events, prepared.map(({ workload, workflow }) => ({ workload, name: workflow.metadata.name! })));
  return { seconds, ...(dispatchedSeconds !== undefined && { dispatchedSeconds }), phases, hopLatencyMs: hops, redisBytesPerNode: Math.round((after - before) / nodes) };
}

async function waitForAll(redis: Redis, records: string[]): Promise<Record<string, number>> {
  const pending = new Set(records);
  const phases: Record<string, number> = {};
  while (pending.size > 0) {
    const list = [...pending];
    const statuses = await Promise.all(list.map((record) => redis.hget(record, 'status')));
    statuses.forEach((json, i) => {
      const phase = json ? (JSON.parse(json) as { phase: string }).phase : '';
      if (workflowEnded(phase)) {
        pending.delete(list[i]!);
        phases[phase] = (phases[phase] ?? 0) + 1;
      }
    });
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return phases;
}

const DISPATCH_POLL_MS = 2;

/** When the workflow first held at least `nodes` nodes and an empty outbox (performance.now()). */
async function whenDispatched(redis: Redis, keys: { nodes: string; outbox: string }, nodes: number, polling: { stopped: boolean }): Promise<number | undefined> {
  while (!polling.stopped) {
    const [held, waiting] = await Promise.all([redis.hlen(keys.nodes), redis.llen(keys.outbox)]);
    if (held >= nodes && waiting === 0) return performance.now();
    await new Promise((resolve) => setTimeout(resolve, DISPATCH_POLL_MS));
  }
  return undefined;
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
}

interface JobEvents {
  active: Map<string, number>;
  completed: Map<string, number>;
}

/** When each job went active and completed, from BullMQ's event stream (its ids are Redis's clock). */
async function jobEvents(redis: Redis, eventsKey: string): Promise<JobEvents> {
  const entries = (await redis.xrange(eventsKey, '-', '+')) as [string, string[]][];
  const active = new Map<string, number>();
  const completed = new Map<string, number>();
  for (const [id, fields] of entries) {
    const field = (name: string) => fields[fields.indexOf(name) + 1];
    const jobId = field('jobId');
    if (!jobId) continue;
    const at = Number(id.split('-')[0]);
    if (field('event') === 'active') active.set(jobId, at);
    else if (field('event') === 'completed') completed.set(jobId, at);
  }
  return { active, completed };
}

/** Per node with dependencies: its job's `active` time minus the latest `completed` of its dependencies. */
function hopLatencies({ active, completed }: JobEvents, runs: { workload: Workload; name: string }[]): RunMeasurement['hopLatencyMs'] {
  const hops: number[] = [];
  for (const { workload, name } of runs) {
    const job = (task: string) => `${nodeId(name, `${name}.${task}`)}/0`;
    for (const [task, deps] of workload.dependencies) {
      if (deps.length === 0) continue;
      const start = active.get(job(task));
      const ends = deps.map((d) => completed.get(job(d)));
      if (start === undefined || ends.some((e) => e === undefined)) continue;
      hops.push(start - Math.max(...(ends as number[])));
    }
  }
  if (hops.length === 0) return null;
  hops.sort((a, b) => a - b);
  const at = (q: number) => hops[Math.min(hops.length - 1, Math.floor(q * hops.length))]!;
  return { p50: at(0.5), p99: at(0.99), sampled: hops.length };
}

// The audit ends a Running node only when its job is missing at two audits in a row: once may be a
// dispatch still on its way out.
import { describe, expect, it } from 'vitest';
import type { EngineEvent, NodeJob } from '@regatta/engine';
import type { NodePool, NodeRef, ShardStreams } from '@regatta/queue';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { JobAudit, MISSING_JOB } from './job-audit.js';
import type { WorkflowCache } from './workflow-cache.js';

const STARTED = Date.parse('2026-01-02T03:00:00Z');

function audit(carried: () => boolean): { audit: JobAudit; appended: { shard: number; uid: string; event: EngineEvent }[] } {
  const node = { id: 'wf-1', name: 'wf', type: 'Pod', phase: 'Running', startedAt: '2026-01-02T03:00:00Z' };
  const entry = { uid: 'u1', shard: 2, outbox: [], state: { status: { nodes: { [node.id]: node } } } };
  const cache = { values: () => [entry] } as unknown as WorkflowCache;
  const pool = { carried: async (nodes: NodeRef[]) => nodes.map(carried) } as unknown as NodePool<NodeJob>;
  const appended: { shard: number; uid: string; event: EngineEvent }[] = [];
  const streams = {
    appendBatch: async (shard: number, events: { uid: string; event: EngineEvent }[]) => void appended.push(...events.map((e) => ({ shard, ...e }))),
  } as unknown as ShardStreams;
  const logger = createLogger('audit-test', { level: 'silent' });
  return { audit: new JobAudit({ cache, pool, streams, logger, metrics: new SchedulerMetrics(), now: () => '2026-01-02T03:05:00Z' }, { intervalMs: 60_000 }), appended };
}

describe('the job audit', () => {
  it('ends a node whose job is missing at two audits in a row, in Error, on its shard', async () => {
    const { audit: job, appended } = audit(() => false);
    expect(await job.audit(STARTED + 60_000)).toBe(0);
    expect(await job.audit(STARTED + 120_000)).toBe(1);
    expect(appended).toEqual([{ shard: 2, uid: 'u1', event: { type: 'nodeFinished', nodeId: 'wf-1', attempt: 0, phase: 'Error', message: MISSING_JOB, finishedAt: '2026-01-02T03:05:00Z' } }]);
  });

  it('leaves a node alone whose job turned up between audits, or that was dispatched less than an interval ago', async () => {
    let found = false;
    const { audit: job, appended } = audit(() => found);
    expect(await job.audit(STARTED + 59_000)).toBe(0);
    expect(await job.audit(STARTED + 60_000)).toBe(0);
    found = true;
    expect(await job.audit(STARTED + 120_000)).toBe(0);
    found = false;
    expect(await job.audit(STARTED + 180_000)).toBe(0);
    expect(appended).toEqual([]);
  });
});

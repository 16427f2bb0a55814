// Nodes whose job is lost (failed for good, or gone) end in Error, as Argo ends a node whose pod was
// deleted: one nodeFinished per node, appended to each node's shard in one batch per shard. Shared by
// the LostJobReaper and the JobAudit, which find such nodes in different ways.
import type { EngineEvent, NodeJob } from '@regatta/engine';
import type { NodePool, ShardStreams } from '@regatta/queue';
import type { Logger, SchedulerMetrics } from '@regatta/telemetry';

/** What the LostJobReaper and the JobAudit work with: the pool they look in, where results go, the clock. */
export interface LostNodeParts {
  pool: NodePool<NodeJob>;
  streams: ShardStreams;
  logger: Logger;
  metrics: SchedulerMetrics;
  now: () => string;
}

export interface LostNode {
  shard: number;
  uid: string;
  nodeId: string;
  attempt: number;
  message: string;
}

export async function endLostNodes(streams: ShardStreams, nodes: LostNode[], finishedAt: string): Promise<void> {
  const byShard = new Map<number, { uid: string; event: EngineEvent }[]>();
  for (const { shard, uid, nodeId, attempt, message } of nodes) {
    const events = byShard.get(shard) ?? [];
    events.push({ uid, event: { type: 'nodeFinished', nodeId, attempt, phase: 'Error', message, finishedAt } });
    byShard.set(shard, events);
  }
  await Promise.all([...byShard].map(([shard, events]) => streams.appendBatch(shard, events)));
}

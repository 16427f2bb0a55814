// What goes on a pool's BullMQ queues: the data of a node job, declared once. The scheduler enqueues
// it, a worker hands a batch's leftover nodes on as new jobs, and workers and the lost-job reaper
// decode it (never cast): a job that does not decode is not run. `kind` says which queue it belongs
// on: 'node' (queue `nodes`: one node) or 'nodeBatch' (queue `node-batches`: several nodes of one
// workflow, or what a worker kept of them).
import { z } from 'zod';
import { isRecord, type NodeJob } from '@regatta/spec';

/** The BullMQ queue of each kind of node job. */
export const NODE_QUEUES = { node: 'nodes', nodeBatch: 'node-batches' } as const;

export type NodeJobKind = keyof typeof NODE_QUEUES;

/** One node of a job: its job id (see nodeJobId in @regatta/queue) and what the executor runs. */
export interface NodeDispatch<T> {
  id: string;
  job: T;
}

/** What one BullMQ job carries: nodes of one workflow, whose results go to one shard. */
export interface NodeJobData<T> {
  kind: NodeJobKind;
  shard: number;
  nodes: NodeDispatch<T>[];
  /** Handed on by a worker from a redelivered job: its nodes are redelivered too. */
  redelivered?: true;
}

/**
 * The schema of a job's data, given that of one node's job (the node job of @regatta/spec in
 * production, nodeRunSchema). Jobs enqueued before `kind` existed decode by their size.
 */
export function nodeJobDataSchema<T>(job: z.ZodType<T>): z.ZodType<NodeJobData<T>> {
  const nodes = z.array(z.object({ id: z.string().min(1), job })).min(1);
  const data = z.object({
    kind: z.enum(['node', 'nodeBatch']),
    shard: z.number().int().nonnegative(),
    nodes,
    redelivered: z.literal(true).optional(),
  });
  const withKind = (value: unknown) =>
    isRecord(value) && value.kind === undefined && Array.isArray(value.nodes) ? { ...value, kind: value.nodes.length === 1 ? 'node' : 'nodeBatch' } : value;
  return z.preprocess(withKind, data) as z.ZodType<NodeJobData<T>>;
}

/**
 * A node's job as the engine makes it (NodeJob of @regatta/spec): the fields a worker relies on before
 * running it are checked; the rest is the executor's to read.
 */
export const nodeRunSchema = z.custom<NodeJob>(
  (value) =>
    isRecord(value) &&
    isRecord(value.workflow) &&
    typeof value.workflow.uid === 'string' &&
    typeof value.workflow.name === 'string' &&
    typeof value.nodeId === 'string' &&
    Number.isInteger(value.attempt),
  'expected a node job: workflow.uid, workflow.name, nodeId and attempt',
);

/** The kind of job that carries these nodes. */
export function nodeJobKind(nodes: readonly unknown[]): NodeJobKind {
  return nodes.length === 1 ? 'node' : 'nodeBatch';
}

/** Why a job's data does not decode, naming the field. */
export function nodeJobProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `node job data ${issue.path.length > 0 ? issue.path.join('.') : '(whole)'}: ${issue.message}` : 'node job data does not decode';
}

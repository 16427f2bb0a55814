// The events that reach a workflow through its shard stream, declared once: the schema decodes what a
// reader takes off the stream (never cast), and the type every writer appends is inferred from it, so
// no process can write an event the reader would refuse. Nested payloads (outputs, a control's details,
// container results) are the engine's to read: the schema checks their kind, their type is the engine's.
import { z } from 'zod';
import { isRecord, type ContainerResult, type NodeOutputs } from '@regatta/spec';
import type { ControlRequest, EngineEvent } from '@regatta/engine';

const nodeId = z.string().min(1);
const attempt = z.number().int().nonnegative();
const outputs = z.custom<NodeOutputs>(isRecord, 'expected an object');
const control = z.custom<ControlRequest>((value) => isRecord(value) && typeof value.action === 'string', 'expected an object with an action');
const containers = z.custom<ContainerResult[]>((value) => Array.isArray(value) && value.every(isRecord), 'expected a list of objects');

/** Shard events by type. */
export const shardEventSchema = z.discriminatedUnion('type', [
  /** Written by a submission (the store's announceWorkflow script): the workflow is stored, start it. */
  z.object({ type: z.literal('workflowSubmitted') }),
  /** Written by the scheduler when a timer of the workflow falls due (a retry's backoff, a suspend's end). */
  z.object({ type: z.literal('timerFired'), nodeId }),
  /** Written by clients (stop, terminate, resume, ...), the cron loop and deadlines. */
  z.object({ type: z.literal('control'), control }),
  /** Written by the scheduler's lock broker: the node's (or the workflow's) locks are held. */
  z.object({ type: z.literal('locksAcquired'), nodeId: nodeId.optional() }),
  /** Written by the lock broker: the locks cannot be had at all. */
  z.object({ type: z.literal('locksRefused'), nodeId: nodeId.optional(), message: z.string() }),
  /** Written by the scheduler after a memoization lookup: the outputs on a hit. */
  z.object({ type: z.literal('memoAnswered'), nodeId, outputs: outputs.optional() }),
  /** Written by the scheduler after reading a node's input ConfigMaps: each key's value or what is missing. */
  z.object({
    type: z.literal('configMapsRead'),
    nodeId,
    values: z.array(z.object({ name: z.string(), key: z.string(), value: z.string().optional(), missing: z.enum(['configMap', 'key']).optional() })),
    message: z.string().optional(),
  }),
  /** Written by a worker once a daemon's process runs. */
  z.object({ type: z.literal('nodeDaemoned'), nodeId, attempt }),
  /** Written by the scheduler when a finished workflow's ttlStrategy expires. */
  z.object({ type: z.literal('ttlExpired') }),
  /** Written by the scheduler (or `delete`) once artifactGC has tried to delete the artifacts it was given. */
  z.object({
    type: z.literal('artifactsCollected'),
    strategy: z.enum(['OnWorkflowCompletion', 'OnWorkflowDeletion']),
    artifacts: z.array(z.object({ nodeId, name: z.string(), message: z.string().optional() })),
  }),
  /** Written by a worker (a node's result) or the scheduler (a node whose job was lost ends in Error). */
  z.object({
    type: z.literal('nodeFinished'),
    nodeId,
    attempt,
    phase: z.enum(['Succeeded', 'Failed', 'Error']),
    message: z.string().optional(),
    outputs: outputs.optional(),
    finishedAt: z.string().optional(),
    containers: containers.optional(),
    hostNodeName: z.string().optional(),
  }),
]);

export type ShardEvent = z.infer<typeof shardEventSchema>;

/** The protocol's events are the engine's: either side changing alone fails the build here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const shardEventsAreEngineEvents: Same<ShardEvent, EngineEvent> = true;
void shardEventsAreEngineEvents;

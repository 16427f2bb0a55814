export { shardEventSchema, type ShardEvent } from './shard-events.js';
export { decodeEntries, encodeBatch, encodeEntry, type DecodedEntries, type RefusedEntry, type ShardEntry, type WorkflowEvent } from './shard-entries.js';
export { NODE_QUEUES, nodeJobDataSchema, nodeJobKind, nodeJobProblem, nodeRunSchema, type NodeDispatch, type NodeJobData } from './node-jobs.js';

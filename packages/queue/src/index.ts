export { ShardStreams, shardOf } from './shard-streams.js';
export { type DecodedEntries, type RefusedEntry, type ShardEntry, type ShardEvent, type WorkflowEvent } from '@regatta/protocol';
export { DeadLetters, type DeadLetter, type DeadLetterKeys } from './dead-letters.js';
export { NodePool, NodeConsumer, nodeJobId, nodeBatches, nodeJobData, type PoolOptions, type ConsumerOptions, type ShardJob, type Delivery, type FailedNodeJob, type NodeRef } from './node-pool.js';
export { NODE_QUEUES, type NodeDispatch, type NodeJobData } from '@regatta/protocol';
export { ShardTimers, type ShardTimerKeys } from './shard-timers.js';

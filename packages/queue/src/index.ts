export { ShardStreams, shardOf } from './shard-streams.js';
export { type DecodedEntries, type RefusedEntry, type ShardEntry, type ShardEvent } from './shard-event.js';
export { DeadLetters, type DeadLetter, type DeadLetterKeys } from './dead-letters.js';
export { NodePool, NodeConsumer, NODE_QUEUES, nodeJobId, nodeBatches, type PoolOptions, type ConsumerOptions, type ShardJob, type NodeDispatch, type NodeBatch, type Delivery, type FailedNodeJob, type NodeRef } from './node-pool.js';
export { ShardTimers, type ShardTimerKeys } from './shard-timers.js';

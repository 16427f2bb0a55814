export { ShardStreams, shardOf, type ShardEntry } from './shard-streams.js';
export { NodePool, NodeConsumer, NODE_QUEUES, nodeJobId, nodeBatches, type PoolOptions, type ConsumerOptions, type ShardJob, type NodeDispatch, type NodeBatch, type Delivery, type FailedNodeJob } from './node-pool.js';
export { ShardTimers, type ShardTimerKeys } from './shard-timers.js';

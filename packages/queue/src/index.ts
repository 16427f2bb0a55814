export { ShardStreams, shardOf, type ShardEntry } from './shard-streams.js';
export { NodePool, NodeConsumer, nodeJobId, type PoolOptions, type ConsumerOptions, type ShardJob } from './node-pool.js';

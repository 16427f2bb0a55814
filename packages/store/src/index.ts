export { Keys, type ShardKeys, type WorkflowKeys } from './keys.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { WorkflowStore, type StoredWorkflow, type TransitionWrite, type WorkflowSummary } from './workflow-store.js';
export { LogStore, type LogLine } from './log-store.js';
export { ResourceStore } from './resource-store.js';
export { ShardLease } from './shard-lease.js';
export { ensureInstance, readInstance, verifyInstance, type InstanceInfo } from './instance.js';
export { connectRedis, isClusterUrl } from './connect.js';

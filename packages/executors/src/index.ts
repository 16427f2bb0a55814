export type { Executor, NodeRunRequest, NodeRunResult, RunContext } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
export { NoopExecutor } from './noop.js';
export { HttpExecutor } from './http/http-executor.js';
export { EgressPolicy, egressPolicyFromEnv } from './http/egress-policy.js';
export { RoutingExecutor } from './routing-executor.js';
export { DataExecutor } from './data/data-executor.js';
export { LocalArtifactRepository } from './artifacts/local-repository.js';
export { LocalVolumeClaims, parseHostPathAllow } from './local/volumes.js';

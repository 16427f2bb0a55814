export type { Executor, NodeRunRequest, NodeRunResult, RunContext } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
export { NoopExecutor } from './noop.js';

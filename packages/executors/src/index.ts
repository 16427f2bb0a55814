export { timestamp, type Executor, type NodeRunRequest, type NodeRunResult, type RunContext } from './executor.js';
export { LocalExecutor, type LocalExecutorOptions } from './local/local-executor.js';
export { NoopExecutor } from './noop.js';

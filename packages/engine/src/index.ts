export { applyEvent } from './reducer.js';
export { WorkflowState } from './state.js';
export { applyDefaultTtl, type TtlStrategy } from './ttl.js';
export { unsupportedFeatures, type UnsupportedFeature } from './support.js';
export { expressionIssues, type ExpressionIssue } from './static-checks.js';
export type { EngineCommand, EngineEvent, EngineResult, NodeJob } from './commands.js';
export type { LockRequest } from './synchronization.js';
export { controlRefusal, type ControlRequest, type UserControl } from './control.js';
export type { MemoLookup } from './memoize.js';

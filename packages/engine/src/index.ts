export { applyEvent } from './core/reducer.js';
export { WorkflowState } from './core/state.js';
export { applyDefaultTtl, type TtlStrategy } from './features/ttl.js';
export { unsupportedFeatures, type UnsupportedFeature } from './checks/support.js';
export { expressionIssues, type ExpressionIssue } from './checks/static-checks.js';
export type { EngineCommand, EngineEvent, EngineResult, NodeJob } from './core/commands.js';
export type { LockRequest } from './features/synchronization.js';
export { controlRefusal, type ControlRequest, type UserControl } from './features/control.js';
export type { MemoLookup } from './features/memoize.js';

export { applyEvent } from './core/reducer.js';
export { WorkflowState } from './core/state.js';
export { applyDefaultTtl, type TtlStrategy } from './features/ttl.js';
export { unsupportedFeatures, type UnsupportedFeature } from './checks/support.js';
export { expressionIssues, type ExpressionIssue } from './checks/static-checks.js';
export type {
  CollectedArtifact,
  CollectingStrategy,
  ConfigMapKey,
  ConfigMapKeyValue,
  ControlRequest,
  EngineCommand,
  EngineEvent,
  EngineResult,
  GarbageArtifact,
  LockRequest,
  MemoLookup,
  NodeJob,
  UserControl,
} from './core/commands.js';
export { artifactsCollectedOn } from './features/artifact-gc.js';
export { controlRefusal } from './features/control.js';

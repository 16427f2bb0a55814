export type * from './types.js';
export { fnv1a32, nodeId } from './naming.js';
export { SpecError, type SpecErrorCode, type SpecIssue } from './errors.js';
export { loadWorkflow, lintWorkflow, parseParameterFile, type LoadOptions } from './load.js';

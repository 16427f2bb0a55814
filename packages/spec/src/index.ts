// The package's public surface: Argo's types, node naming, and loading workflows with their issues.
export type * from './types.js';
export { fnv1a32, nodeId } from './naming.js';
export { argoTime, workflowEnded } from './phases-and-times.js';
export { SpecError, type SpecErrorCode, type SpecIssue } from './errors.js';
export { loadWorkflow, lintWorkflow, type LoadOptions } from './load.js';
export { parseParameterFile } from './parameter-file.js';
export type { NodeJob } from './node-job.js';

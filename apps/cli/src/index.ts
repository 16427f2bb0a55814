// What other deployables (benchmarks, later the server) reuse from the CLI: submission.
export { prepareWorkflow, resolveWorkflow, submitWorkflow, type SubmitOptions } from './submit.js';

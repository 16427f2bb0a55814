// What other deployables (benchmarks, later the server) reuse from the CLI: submission.
export { prepareWorkflow, submitWorkflow, type SubmitOptions } from './submit.js';

// What the CLI, tools and (later) the server use: the workflow operations behind one interface, its
// Redis transport, and preparation of a workflow from its text.
export {
  ClientError,
  type LogEntry,
  type ListOptions,
  type LogOptions,
  type SetOptions,
  type StopOptions,
  type SubmitFromOptions,
  type SubmittableKind,
  type WatchOptions,
  type WorkflowClient,
} from './client.js';
export { RedisWorkflowClient } from './redis-client.js';
export { HttpStatusError, HttpWorkflowClient, type HttpClientOptions } from './http-client.js';
export { prepareWorkflow, prepareWorkflows, submitWorkflow, type SubmitOptions } from './submit.js';
export { bindingExpressionIssues, EventDispatcher, type BindingOutcome, type WorkflowEvent } from './events.js';
export { cronExpressionIssues, cronWorkflowSpecIssues, type CronIssue } from './cron-checks.js';
export { followWorkflow } from './follow.js';
export { WorkflowView, type WorkflowUpdate } from './workflow-view.js';
export { deleteCronWorkflow, suspendCronWorkflow, type CronStores } from './cron-operations.js';
export { resubmitArchived, retryArchived } from './archived.js';
export { deleteArtifacts, type ArtifactDeleter } from './artifact-garbage.js';
export { storedArtifactDeleter } from './stored-artifact-deleter.js';
export type { StoredArtifactStoreOptions } from './stored-artifact-store.js';
export { installationRepository } from './installation-repository.js';

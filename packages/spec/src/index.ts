// The package's public surface: Argo's types, node naming, loading workflows and the resources they
// refer to (WorkflowTemplates, ConfigMaps) with their issues, and the walk over a spec's templates.
export type * from './types.js';
export type * from './resources.js';
export { fnv1a32, freeNodeId, nodeId, nodePodName, podName } from './naming.js';
export { argoTime, nodeEnded, workflowEnded } from './phases-and-times.js';
export { longDelay, setLongTimeout, MAX_TIMER_MS, type LongTimeout } from './long-timeout.js';
export { SpecError, type SpecErrorCode, type SpecIssue } from './errors.js';
export { isRecord } from './issues.js';
export { formatPath, type FieldPath } from './source-map.js';
export { checkWorkflow, lintWorkflow, loadWorkflow, parseWorkflow, parseWorkflows, type LoadOptions, type ParsedWorkflow } from './load.js';
export { loadClusterWorkflowTemplates, loadConfigMaps, loadCronWorkflows, loadSecrets, loadWorkflowEventBindings, loadWorkflowTemplates } from './load-resources.js';
export { DATA_KEY_RULE, isDataKey } from './validate-configmap.js';
export type { WorkflowEventBinding } from './event-binding.js';
export * from './cron-workflow.js';
export { CronScheduleError, isTimeZone, parseCronSchedule, type CronSchedule } from './cron-schedule.js';
export { isNamespace, MAX_HTTP_TIMEOUT_SECONDS } from './validate-schema.js';
export { isValidName } from './validate-names.js';
export { storedTemplateKey } from './stored-templates.js';
export { keyWithinNamespace } from './artifact-keys.js';
export { matchesLabelSelector, parseLabelSelector, type LabelRequirement } from './label-selector.js';
export { allHooks, allTemplates, callsOf, hooksOf, withInlineTemplates } from './walk.js';
export { parseParameterFile } from './parameter-file.js';
export type { ContainerResult, KeyToPath, NodeJob, NodePodSettings, NodeResource, NodeVolume, ProjectedSource } from './node-job.js';
export { labelKeyProblem, metricNameProblem, type CustomMetric } from './custom-metric.js';

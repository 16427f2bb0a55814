// The resources a workflow may refer to, from files of one or more YAML documents (as `kubectl apply
// -f` and `argo template create` read them): WorkflowTemplates and ClusterWorkflowTemplates, checked as
// workflows are but free to leave their entrypoint and argument values to the workflows that use them,
// ConfigMaps, Secrets, CronWorkflows and WorkflowEventBindings. Every document must be of the expected kind;
// any issue refuses the whole file.
import { SpecError, type SpecIssue } from './errors.js';
import { inFileOrder, IssueList } from './issues.js';
import { crossCheck } from './load.js';
import { parseYamlDocuments } from './parse.js';
import type { CronWorkflow } from './cron-workflow.js';
import { validateWorkflowEventBinding, type WorkflowEventBinding } from './event-binding.js';
import type { ClusterWorkflowTemplate, ConfigMap, Secret, WorkflowTemplate } from './resources.js';
import { validateCronWorkflow } from './validate-cron-workflow.js';
import { validateConfigMap } from './validate-configmap.js';
import { validateSecret } from './validate-secret.js';
import { validateSchema, type WorkflowKind } from './validate-schema.js';
import type { SpecHolder } from './walk.js';

export interface ResourceLoadOptions {
  /** Larger files are refused before parsing (default 4 MiB). */
  maxBytes?: number;
}

export function loadWorkflowTemplates(text: string, file: string, options: ResourceLoadOptions = {}): WorkflowTemplate[] {
  return loadDocuments(text, file, options, checkTemplate('WorkflowTemplate'));
}

export function loadClusterWorkflowTemplates(text: string, file: string, options: ResourceLoadOptions = {}): ClusterWorkflowTemplate[] {
  return loadDocuments(text, file, options, checkTemplate('ClusterWorkflowTemplate'));
}

export function loadConfigMaps(text: string, file: string, options: ResourceLoadOptions = {}): ConfigMap[] {
  return loadDocuments(text, file, options, validateConfigMap);
}

export function loadSecrets(text: string, file: string, options: ResourceLoadOptions = {}): Secret[] {
  return loadDocuments(text, file, options, validateSecret);
}

export function loadCronWorkflows(text: string, file: string, options: ResourceLoadOptions = {}): CronWorkflow[] {
  return loadDocuments(text, file, options, validateCronWorkflow);
}

export function loadWorkflowEventBindings(text: string, file: string, options: ResourceLoadOptions = {}): WorkflowEventBinding[] {
  return loadDocuments(text, file, options, validateWorkflowEventBinding);
}

function checkTemplate(kind: WorkflowKind): (value: unknown, issues: IssueList) => void {
  return (value, issues) => {
    // The cross-reference checks read the spec through its types, which only a spec of the right shape deserves.
    if (validateSchema(value, issues, kind)) crossCheck(value as SpecHolder, issues, false);
  };
}

function loadDocuments<T>(text: string, file: string, options: ResourceLoadOptions, check: (value: unknown, issues: IssueList) => void): T[] {
  const documents = parseYamlDocuments(text, file, options.maxBytes);
  const issues: SpecIssue[] = [];
  for (const { value, source } of documents) {
    const list = new IssueList(source);
    check(value, list);
    issues.push(...list.items);
  }
  if (issues.length > 0) throw new SpecError(inFileOrder(issues));
  return documents.map(({ value }) => value as T);
}

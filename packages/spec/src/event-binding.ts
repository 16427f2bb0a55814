// Argo's WorkflowEventBinding: which events (a selector expression over payload, headers and
// discriminator) submit a workflow from which WorkflowTemplate, with which arguments (expressions over
// the same event) and metadata. Checked here for shape only; the expressions are parsed by the client,
// which owns the expression language, and evaluated only when an event comes.
import { isRecord, type IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';
import type { ObjectMeta } from './types.js';
import { PARAMETER_NAME, validateHeader, validateMetadata } from './validate-schema.js';

interface EventParameter {
  name: string;
  /** An expression over the event; its result becomes the parameter's value. */
  valueFrom: { event: string };
}

/** `submit.metadata`: every value is an expression over the event that must give a string. */
interface EventSubmitMetadata {
  name?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface EventSubmit {
  workflowTemplateRef: { name: string; clusterScope?: boolean };
  metadata?: EventSubmitMetadata;
  arguments?: { parameters?: EventParameter[] };
}

export interface WorkflowEventBinding {
  apiVersion: string;
  kind: 'WorkflowEventBinding';
  metadata: ObjectMeta;
  spec: {
    event: { selector: string };
    /** Without it, a matching event submits nothing (Argo's behaviour). */
    submit?: EventSubmit;
  };
}

export function validateWorkflowEventBinding(value: unknown, issues: IssueList): void {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and spec');
    return;
  }
  validateHeader(value, 'argoproj.io/v1alpha1', 'WorkflowEventBinding', issues);
  validateMetadata(value.metadata, true, issues);
  const { spec } = value;
  if (!isRecord(spec)) {
    issues.add('SCHEMA', ['spec'], 'spec must be a map with event and submit');
    return;
  }
  onlyKnown(spec, ['event', 'submit'], ['spec'], issues);
  const { event, submit } = spec;
  if (!isRecord(event)) issues.add('SCHEMA', ['spec', 'event'], 'must be a map with a selector expression');
  else {
    onlyKnown(event, ['selector'], ['spec', 'event'], issues);
    expression(event.selector, ['spec', 'event', 'selector'], issues);
  }
  if (submit !== undefined) validateSubmit(submit, issues);
}

function validateSubmit(submit: unknown, issues: IssueList): void {
  const path = ['spec', 'submit'];
  if (!isRecord(submit)) {
    issues.add('SCHEMA', path, 'must be a map with workflowTemplateRef');
    return;
  }
  onlyKnown(submit, ['workflowTemplateRef', 'metadata', 'arguments'], path, issues);
  const ref = submit.workflowTemplateRef;
  if (!isRecord(ref) || typeof ref.name !== 'string' || ref.name === '') {
    issues.add('SCHEMA', [...path, 'workflowTemplateRef'], 'must be a map with the name of a WorkflowTemplate');
  } else {
    onlyKnown(ref, ['name', 'clusterScope'], [...path, 'workflowTemplateRef'], issues);
    if (ref.clusterScope !== undefined && typeof ref.clusterScope !== 'boolean') issues.add('SCHEMA', [...path, 'workflowTemplateRef', 'clusterScope'], 'must be true or false');
  }
  validateSubmitMetadata(submit.metadata, [...path, 'metadata'], issues);
  validateArguments(submit.arguments, [...path, 'arguments'], issues);
}

function validateSubmitMetadata(metadata: unknown, path: FieldPath, issues: IssueList): void {
  if (metadata === undefined) return;
  if (!isRecord(metadata)) {
    issues.add('SCHEMA', path, 'must be a map with name, generateName, labels or annotations');
    return;
  }
  onlyKnown(metadata, ['name', 'generateName', 'labels', 'annotations'], path, issues);
  for (const field of ['name', 'generateName']) if (metadata[field] !== undefined) expression(metadata[field], [...path, field], issues);
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map)) issues.add('SCHEMA', [...path, field], 'must be a map of names to expressions');
    else for (const [key, item] of Object.entries(map)) expression(item, [...path, field, key], issues);
  }
}

function validateArguments(args: unknown, path: FieldPath, issues: IssueList): void {
  if (args === undefined) return;
  if (!isRecord(args)) {
    issues.add('SCHEMA', path, 'must be a map with parameters');
    return;
  }
  onlyKnown(args, ['parameters'], path, issues);
  const { parameters } = args;
  if (parameters === undefined) return;
  if (!Array.isArray(parameters)) {
    issues.add('SCHEMA', [...path, 'parameters'], 'must be a list of parameters');
    return;
  }
  const seen = new Set<string>();
  parameters.forEach((parameter: unknown, i) => {
    const at = [...path, 'parameters', i];
    if (!isRecord(parameter)) {
      issues.add('SCHEMA', at, 'must be a map with name and valueFrom.event');
      return;
    }
    onlyKnown(parameter, ['name', 'valueFrom'], at, issues);
    const { name, valueFrom } = parameter;
    if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) issues.add('SCHEMA', [...at, 'name'], 'a parameter name is letters, digits, "_" or "-"');
    else if (seen.has(name)) issues.add('SCHEMA', [...at, 'name'], `parameter "${name}" is given twice`);
    else seen.add(name);
    // Argo refuses a parameter without valueFrom when an event comes; refused here before it is stored.
    if (!isRecord(valueFrom)) issues.add('SCHEMA', [...at, 'valueFrom'], 'must be a map with an event expression');
    else {
      onlyKnown(valueFrom, ['event'], [...at, 'valueFrom'], issues);
      expression(valueFrom.event, [...at, 'valueFrom', 'event'], issues);
    }
  });
}

function expression(value: unknown, path: FieldPath, issues: IssueList): void {
  if (typeof value !== 'string' || value.trim() === '') issues.add('SCHEMA', path, 'must be an expression (a non-empty string)');
}

function onlyKnown(map: Record<string, unknown>, known: string[], path: FieldPath, issues: IssueList): void {
  for (const key of Object.keys(map)) {
    if (!known.includes(key)) issues.add('SCHEMA', [...path, key], `unknown field "${key}"; expected ${known.join(', ')}`);
  }
}

// Shape checks for the fields Regatta reads, with Argo's and Kubernetes' naming rules. Scalars that
// Argo types as strings (parameter values, command and args) are converted here, as kubectl would
// keep them as YAML strings.
import { isRecord, type IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';

const TEMPLATE_KINDS = ['container', 'script', 'steps', 'dag', 'suspend', 'resource', 'data', 'http', 'containerSet', 'plugin'];
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TEMPLATE_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const PARAMETER_NAME = /^[a-zA-Z0-9_-]+$/;

export function validateSchema(value: unknown, issues: IssueList): void {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and spec');
    return;
  }
  if (value.apiVersion !== 'argoproj.io/v1alpha1') {
    issues.add('SCHEMA', ['apiVersion'], `expected argoproj.io/v1alpha1, got ${JSON.stringify(value.apiVersion ?? null)}`);
  }
  if (value.kind !== 'Workflow') {
    issues.add('SCHEMA', ['kind'], `kind ${JSON.stringify(value.kind ?? null)} is not supported here yet; expected Workflow`);
  }
  validateMetadata(value.metadata, issues);
  if (!isRecord(value.spec)) {
    issues.add('SCHEMA', ['spec'], 'spec must be a map');
    return;
  }
  const spec = value.spec;
  for (const field of ['entrypoint', 'onExit'] as const) {
    if (spec[field] !== undefined && typeof spec[field] !== 'string') issues.add('SCHEMA', ['spec', field], 'must be a string');
  }
  if (spec.arguments !== undefined) validateParameterList(spec.arguments, ['spec', 'arguments'], issues);
  if (!Array.isArray(spec.templates) || spec.templates.length === 0) {
    issues.add('SCHEMA', ['spec', 'templates'], 'spec.templates must be a non-empty list');
    return;
  }
  spec.templates.forEach((template, i) => validateTemplate(template, ['spec', 'templates', i], issues));
}

function validateMetadata(metadata: unknown, issues: IssueList): void {
  if (!isRecord(metadata)) {
    issues.add('SCHEMA', ['metadata'], 'metadata must be a map with name or generateName');
    return;
  }
  const { name, generateName } = metadata;
  if (name === undefined && generateName === undefined) issues.add('SCHEMA', ['metadata'], 'metadata needs name or generateName');
  if (name !== undefined && (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name))) {
    issues.add('SCHEMA', ['metadata', 'name'], 'must be a lower-case DNS-1123 subdomain of at most 253 characters');
  }
  if (generateName !== undefined && (typeof generateName !== 'string' || generateName.length > 248 || !DNS_SUBDOMAIN.test(`${generateName}x`))) {
    issues.add('SCHEMA', ['metadata', 'generateName'], 'must be a lower-case DNS-1123 prefix of at most 248 characters');
  }
}

export function validateTemplate(template: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(template)) {
    issues.add('SCHEMA', path, 'a template must be a map');
    return;
  }
  const name = template.name;
  if (typeof name !== 'string' || name.length > 128 || !TEMPLATE_NAME.test(name)) {
    issues.add('SCHEMA', [...path, 'name'], 'template name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most 128 characters)');
  }
  const kinds = TEMPLATE_KINDS.filter((kind) => template[kind] !== undefined);
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.join(', ');
    issues.add('SCHEMA', path, `a template needs exactly one of ${TEMPLATE_KINDS.join(', ')} (found ${found})`);
  }
  for (const field of ['inputs', 'outputs'] as const) {
    if (template[field] !== undefined) validateParameterList(template[field], [...path, field], issues);
  }
  if (template.container !== undefined) validateContainer(template.container, [...path, 'container'], issues);
  if (template.script !== undefined) {
    validateContainer(template.script, [...path, 'script'], issues);
    if (isRecord(template.script) && typeof template.script.source !== 'string') {
      issues.add('SCHEMA', [...path, 'script', 'source'], 'a script template needs source text');
    }
  }
  if (template.steps !== undefined) validateSteps(template.steps, [...path, 'steps'], issues);
  if (template.dag !== undefined) validateDag(template.dag, [...path, 'dag'], issues);
}

function validateContainer(container: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(container)) {
    issues.add('SCHEMA', path, 'must be a map');
    return;
  }
  if (container.image !== undefined && typeof container.image !== 'string') issues.add('SCHEMA', [...path, 'image'], 'must be a string');
  for (const field of ['command', 'args'] as const) {
    const list = container[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) issues.add('SCHEMA', [...path, field], 'must be a list of strings');
    else container[field] = list.map((item, i) => scalarString(item, [...path, field, i], issues));
  }
  if (container.workingDir !== undefined && typeof container.workingDir !== 'string') {
    issues.add('SCHEMA', [...path, 'workingDir'], 'must be a string');
  }
  if (container.env !== undefined) {
    if (!Array.isArray(container.env)) issues.add('SCHEMA', [...path, 'env'], 'must be a list of {name, value}');
    else {
      container.env.forEach((variable, i) => {
        if (!isRecord(variable) || typeof variable.name !== 'string') {
          issues.add('SCHEMA', [...path, 'env', i], 'an environment variable needs a name');
        } else if (variable.value !== undefined) {
          variable.value = scalarString(variable.value, [...path, 'env', i, 'value'], issues);
        }
      });
    }
  }
}

function validateSteps(steps: unknown, path: FieldPath, issues: IssueList): void {
  if (!Array.isArray(steps)) {
    issues.add('SCHEMA', path, 'steps must be a list of step groups (each a list of steps)');
    return;
  }
  steps.forEach((group, g) => {
    if (!Array.isArray(group)) {
      issues.add('SCHEMA', [...path, g], 'each step group must be a list of steps: write "- - name: …"');
      return;
    }
    group.forEach((step, s) => validateCall(step, [...path, g, s], issues));
  });
}

function validateDag(dag: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(dag) || !Array.isArray(dag.tasks)) {
    issues.add('SCHEMA', path, 'dag needs a list of tasks');
    return;
  }
  dag.tasks.forEach((task, k) => {
    validateCall(task, [...path, 'tasks', k], issues);
    if (!isRecord(task)) return;
    if (task.dependencies !== undefined && task.depends !== undefined) {
      issues.add('SCHEMA', [...path, 'tasks', k], 'a task may have dependencies or depends, not both');
    }
    if (task.dependencies !== undefined && (!Array.isArray(task.dependencies) || !task.dependencies.every((d) => typeof d === 'string'))) {
      issues.add('SCHEMA', [...path, 'tasks', k, 'dependencies'], 'must be a list of task names');
    }
    if (task.depends !== undefined && typeof task.depends !== 'string') issues.add('SCHEMA', [...path, 'tasks', k, 'depends'], 'must be a string');
  });
}

/** A step or a DAG task: a named call of a template. */
function validateCall(call: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(call)) {
    issues.add('SCHEMA', path, 'must be a map with name and template');
    return;
  }
  if (typeof call.name !== 'string' || !TEMPLATE_NAME.test(call.name)) {
    issues.add('SCHEMA', [...path, 'name'], 'needs a name matching [a-zA-Z0-9][-a-zA-Z0-9]*');
  }
  if (call.template === undefined && call.inline === undefined && call.templateRef === undefined) {
    issues.add('SCHEMA', path, 'needs template, inline or templateRef');
  }
  if (call.template !== undefined && typeof call.template !== 'string') issues.add('SCHEMA', [...path, 'template'], 'must be a string');
  if (call.when !== undefined) call.when = scalarString(call.when, [...path, 'when'], issues);
  if (call.arguments !== undefined) validateParameterList(call.arguments, [...path, 'arguments'], issues);
  if (call.inline !== undefined) {
    if (isRecord(call.inline) && call.inline.name === undefined) call.inline.name = '';
    validateInline(call.inline, [...path, 'inline'], issues);
  }
}

function validateInline(template: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(template)) {
    issues.add('SCHEMA', path, 'an inline template must be a map');
    return;
  }
  // Inline templates have no name of their own.
  validateTemplate({ ...template, name: 'inline' }, path, issues);
}

/** inputs, outputs and arguments: their `parameters` lists. */
function validateParameterList(holder: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(holder)) {
    issues.add('SCHEMA', path, 'must be a map');
    return;
  }
  const parameters = holder.parameters;
  if (parameters === undefined) return;
  if (!Array.isArray(parameters)) {
    issues.add('SCHEMA', [...path, 'parameters'], 'must be a list of parameters');
    return;
  }
  parameters.forEach((parameter, i) => {
    const at = [...path, 'parameters', i];
    if (!isRecord(parameter) || typeof parameter.name !== 'string' || !PARAMETER_NAME.test(parameter.name)) {
      issues.add('SCHEMA', at, 'a parameter needs a name of letters, digits, "_" or "-"');
      return;
    }
    for (const field of ['value', 'default'] as const) {
      // `value:` with nothing after it means no value, as in Kubernetes.
      if (parameter[field] === null) delete parameter[field];
      if (parameter[field] !== undefined) parameter[field] = scalarString(parameter[field], [...at, field], issues);
    }
    if (parameter.enum !== undefined) {
      if (!Array.isArray(parameter.enum)) issues.add('SCHEMA', [...at, 'enum'], 'must be a list');
      else parameter.enum = parameter.enum.map((item, e) => scalarString(item, [...at, 'enum', e], issues));
    }
    if (parameter.valueFrom !== undefined && !isRecord(parameter.valueFrom)) issues.add('SCHEMA', [...at, 'valueFrom'], 'must be a map');
    if (isRecord(parameter.valueFrom) && parameter.valueFrom.default !== undefined) {
      parameter.valueFrom.default = scalarString(parameter.valueFrom.default, [...at, 'valueFrom', 'default'], issues);
    }
  });
}

/** Argo's values are strings; YAML numbers and booleans become their text, maps and lists JSON. */
function scalarString(value: unknown, path: FieldPath, issues: IssueList): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  issues.add('SCHEMA', path, 'must be a string');
  return '';
}

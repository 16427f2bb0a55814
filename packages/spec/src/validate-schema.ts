// Shape checks for the fields Regatta reads, with Argo's and Kubernetes' naming rules, for Workflows and
// for the WorkflowTemplates and ClusterWorkflowTemplates that share their spec. Fields Argo types as
// strings (parameter values, command, args, env values, labels) have YAML numbers and booleans turned
// into Argo's text for them here, so later checks and the stored resource see strings.
import { isRecord, type IssueList } from './issues.js';
import { scalarText } from './scalar-text.js';
import { validateMetrics } from './validate-metrics.js';
import type { FieldPath } from './source-map.js';

const API_VERSION = 'argoproj.io/v1alpha1';
/** The kinds whose spec is a workflow's spec. */
export type WorkflowKind = 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate';
const TEMPLATE_KINDS = ['container', 'script', 'steps', 'dag', 'suspend', 'resource', 'data', 'http', 'containerSet', 'plugin'];
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Argo's rule for template, step and task names (`isValidWorkflowFieldName`). */
const FIELD_NAME = /^[a-zA-Z0-9][-a-zA-Z0-9]*$/;
const MAX_FIELD_NAME = 128;
/** An HTTP template's longest `timeoutSeconds`: the request holds one of a worker's slots meanwhile.
 * Argo's 0 (no timeout) means this long here. */
export const MAX_HTTP_TIMEOUT_SECONDS = 3_600;
export const PARAMETER_NAME = /^[-a-zA-Z0-9_]+$/;

/**
 * Checks the whole document and says whether `spec` has the shapes its types promise: the
 * cross-reference checks that follow read it through those types, so they run only when it does.
 */
export function validateSchema(value: unknown, issues: IssueList, kind: WorkflowKind = 'Workflow'): boolean {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and spec');
    return false;
  }
  validateHeader(value, API_VERSION, kind, issues);
  // Workflows may be named at submission; templates are called by their name.
  validateMetadata(value.metadata, kind !== 'Workflow', issues);
  const before = issues.items.length;
  validateSpec(value.spec, kind, issues);
  return issues.items.length === before;
}

/** `apiVersion` and `kind` of any resource. */
export function validateHeader(value: Record<string, unknown>, apiVersion: string, kind: string, issues: IssueList): void {
  if (value.apiVersion === undefined) issues.add('SCHEMA', ['apiVersion'], `apiVersion is missing; expected ${apiVersion}`);
  else if (value.apiVersion !== apiVersion) issues.add('SCHEMA', ['apiVersion'], `expected ${apiVersion}, got ${JSON.stringify(value.apiVersion)}`);
  if (value.kind === undefined) issues.add('SCHEMA', ['kind'], `kind is missing; expected ${kind}`);
  else if (value.kind !== kind) {
    // Other kinds may become workflows later (Argo's `submit --from`); other resources have commands of their own.
    const refusal = kind === 'Workflow' ? 'is not supported here yet' : 'is not supported here';
    issues.add('SCHEMA', ['kind'], `kind ${JSON.stringify(value.kind)} ${refusal}; expected ${kind}`);
  }
}

export function validateMetadata(metadata: unknown, needsName: boolean, issues: IssueList): void {
  if (!isRecord(metadata)) {
    issues.add('SCHEMA', ['metadata'], needsName ? 'metadata must be a map with a name' : 'metadata must be a map with name or generateName');
    return;
  }
  const { name, generateName } = metadata;
  if (needsName && name === undefined) issues.add('SCHEMA', ['metadata'], 'metadata needs a name');
  else if (name === undefined && generateName === undefined) issues.add('SCHEMA', ['metadata'], 'metadata needs name or generateName');
  if (name !== undefined && !isDnsSubdomain(name, 253)) {
    issues.add('SCHEMA', ['metadata', 'name'], 'must be a lower-case DNS-1123 subdomain of at most 253 characters');
  }
  // Kubernetes checks a prefix with its trailing "-" masked; 248 leaves room for the 5 random characters.
  if (generateName !== undefined && !(typeof generateName === 'string' && isDnsSubdomain(generateName.replace(/-$/, 'a'), 248))) {
    issues.add('SCHEMA', ['metadata', 'generateName'], 'must be a lower-case DNS-1123 prefix of at most 248 characters');
  }
  if (metadata.namespace !== undefined && !isNamespace(metadata.namespace)) {
    issues.add('SCHEMA', ['metadata', 'namespace'], 'must be a lower-case DNS-1123 name of at most 63 characters');
  }
  validateLabels(metadata, ['metadata'], issues);
}

/** Kubernetes' rule for namespaces: a DNS-1123 label. */
export function isNamespace(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && DNS_LABEL.test(name);
}

function isDnsSubdomain(name: unknown, maxLength: number): boolean {
  return typeof name === 'string' && name.length <= maxLength && DNS_SUBDOMAIN.test(name);
}

/** `labels` and `annotations` of workflow or template metadata: maps of strings. */
function validateLabels(metadata: Record<string, unknown>, path: FieldPath, issues: IssueList): void {
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map)) issues.add('SCHEMA', [...path, field], 'must be a map of names to strings');
    else for (const key of Object.keys(map)) map[key] = text(map[key], [...path, field, key], issues);
  }
}

function validateSpec(spec: unknown, kind: WorkflowKind, issues: IssueList): void {
  if (!isRecord(spec)) {
    issues.add('SCHEMA', ['spec'], 'spec must be a map with templates');
    return;
  }
  for (const field of ['entrypoint', 'onExit']) {
    if (spec[field] !== undefined && typeof spec[field] !== 'string') issues.add('SCHEMA', ['spec', field], 'must be a template name');
  }
  if (spec.arguments !== undefined) validateParameterHolder(spec.arguments, ['spec', 'arguments'], issues);
  if (spec.hooks !== undefined) validateHooks(spec.hooks, ['spec', 'hooks'], issues);
  if (spec.metrics !== undefined) validateMetrics(spec.metrics, ['spec', 'metrics'], issues);
  const byReference = spec.workflowTemplateRef !== undefined;
  if (byReference) {
    if (kind === 'Workflow') validateReference(spec.workflowTemplateRef, ['spec', 'workflowTemplateRef'], ['name'], issues);
    else issues.add('SCHEMA', ['spec', 'workflowTemplateRef'], `a ${kind} cannot take its spec from another by workflowTemplateRef`);
  }
  // A workflow that names a WorkflowTemplate may bring no templates of its own.
  if (byReference && spec.templates === undefined) return;
  if (!Array.isArray(spec.templates) || (spec.templates.length === 0 && !byReference)) {
    issues.add('SCHEMA', ['spec', 'templates'], byReference ? 'must be a list of templates' : 'must be a non-empty list of templates');
    return;
  }
  spec.templates.forEach((template, i) => {
    const path = ['spec', 'templates', i];
    if (!isRecord(template)) issues.add('SCHEMA', path, 'a template must be a map');
    else {
      checkName(template.name, [...path, 'name'], 'template', issues);
      validateTemplateBody(template, path, issues);
    }
  });
}

function checkName(name: unknown, path: FieldPath, what: string, issues: IssueList): void {
  if (typeof name !== 'string' || name.length > MAX_FIELD_NAME || !FIELD_NAME.test(name)) {
    issues.add('SCHEMA', path, `${what} name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most ${MAX_FIELD_NAME} characters)`);
  }
}

/** Everything of a template but its name, which an inline template does not have. */
function validateTemplateBody(template: Record<string, unknown>, path: FieldPath, issues: IssueList): void {
  const kinds = TEMPLATE_KINDS.filter((kind) => template[kind] !== undefined);
  if (kinds.length !== 1) {
    issues.add('SCHEMA', path, `a template needs exactly one of ${TEMPLATE_KINDS.join(', ')} (found ${kinds.join(', ') || 'none'})`);
  }
  for (const field of ['inputs', 'outputs']) {
    if (template[field] !== undefined) validateParameterHolder(template[field], [...path, field], issues);
  }
  if (template.metadata !== undefined) {
    if (!isRecord(template.metadata)) issues.add('SCHEMA', [...path, 'metadata'], 'must be a map with labels or annotations');
    else validateLabels(template.metadata, [...path, 'metadata'], issues);
  }
  if (template.metrics !== undefined) validateMetrics(template.metrics, [...path, 'metrics'], issues);
  if (template.container !== undefined) validateContainer(template.container, [...path, 'container'], issues);
  if (template.script !== undefined) {
    validateContainer(template.script, [...path, 'script'], issues);
    if (isRecord(template.script) && typeof template.script.source !== 'string') {
      issues.add('SCHEMA', [...path, 'script', 'source'], 'a script template needs source text');
    }
  }
  if (template.steps !== undefined) validateSteps(template.steps, [...path, 'steps'], issues);
  if (template.dag !== undefined) validateDag(template.dag, [...path, 'dag'], issues);
  if (template.http !== undefined) validateHttp(template.http, [...path, 'http'], issues);
}

function validateHttp(http: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(http) || typeof http.url !== 'string') {
    issues.add('SCHEMA', path, 'an http template needs a url');
    return;
  }
  const timeout = http.timeoutSeconds;
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) >= 0 && (timeout as number) <= MAX_HTTP_TIMEOUT_SECONDS)) {
    issues.add('SCHEMA', [...path, 'timeoutSeconds'], `must be a whole number of seconds from 0 to ${MAX_HTTP_TIMEOUT_SECONDS}, got ${JSON.stringify(timeout)}`);
  }
}

function validateContainer(container: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(container)) {
    issues.add('SCHEMA', path, 'must be a map with image and command');
    return;
  }
  // The image may be left out: local runs do not use one.
  for (const field of ['image', 'workingDir']) {
    if (container[field] !== undefined && typeof container[field] !== 'string') issues.add('SCHEMA', [...path, field], 'must be a string');
  }
  for (const field of ['command', 'args']) {
    const list = container[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) issues.add('SCHEMA', [...path, field], 'must be a list of strings');
    else container[field] = list.map((item, i) => text(item, [...path, field, i], issues));
  }
  if (container.env !== undefined) validateEnv(container.env, [...path, 'env'], issues);
}

function validateEnv(env: unknown, path: FieldPath, issues: IssueList): void {
  if (!Array.isArray(env)) {
    issues.add('SCHEMA', path, 'must be a list of {name, value} or {name, valueFrom}');
    return;
  }
  env.forEach((variable, i) => {
    if (!isRecord(variable) || typeof variable.name !== 'string' || variable.name === '') {
      issues.add('SCHEMA', [...path, i], 'an environment variable needs a name');
      return;
    }
    if (variable.value === null) delete variable.value;
    if (variable.value !== undefined) variable.value = text(variable.value, [...path, i, 'value'], issues);
    if (variable.valueFrom !== undefined && !isRecord(variable.valueFrom)) issues.add('SCHEMA', [...path, i, 'valueFrom'], 'must be a map');
    if (variable.value !== undefined && variable.valueFrom !== undefined) {
      issues.add('SCHEMA', [...path, i], `environment variable "${variable.name}" has both value and valueFrom; keep one`);
    }
  });
}

function validateSteps(steps: unknown, path: FieldPath, issues: IssueList): void {
  if (!Array.isArray(steps)) {
    issues.add('SCHEMA', path, 'steps must be a list of step groups, each a list of steps');
    return;
  }
  steps.forEach((group, g) => {
    // Argo runs the steps of a group in parallel; a bare step here is a missing "- ", not a group of one.
    if (!Array.isArray(group)) issues.add('SCHEMA', [...path, g], 'each step group must be a list of steps: write "- - name: …"');
    else group.forEach((step, s) => validateCall(step, [...path, g, s], 'step', issues));
  });
}

function validateDag(dag: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(dag) || !Array.isArray(dag.tasks)) {
    issues.add('SCHEMA', isRecord(dag) ? [...path, 'tasks'] : path, 'a dag needs a list of tasks');
    return;
  }
  if (dag.target !== undefined && typeof dag.target !== 'string') issues.add('SCHEMA', [...path, 'target'], 'must be a string of task names');
  if (dag.failFast !== undefined && typeof dag.failFast !== 'boolean') issues.add('SCHEMA', [...path, 'failFast'], 'must be true or false');
  dag.tasks.forEach((task, k) => {
    const at = [...path, 'tasks', k];
    validateCall(task, at, 'task', issues);
    if (!isRecord(task)) return;
    const { dependencies, depends } = task;
    if (dependencies !== undefined && !(Array.isArray(dependencies) && dependencies.every((d) => typeof d === 'string'))) {
      issues.add('SCHEMA', [...at, 'dependencies'], 'must be a list of task names');
    }
    if (depends !== undefined && typeof depends !== 'string') issues.add('SCHEMA', [...at, 'depends'], 'must be a string');
  });
}

/** A step or a DAG task: a named call of a template. */
function validateCall(call: unknown, path: FieldPath, what: 'step' | 'task', issues: IssueList): void {
  if (!isRecord(call)) {
    issues.add('SCHEMA', path, `a ${what} must be a map with name and template`);
    return;
  }
  checkName(call.name, [...path, 'name'], what, issues);
  validateCallee(call, path, what, ['template', 'inline', 'templateRef'], issues);
  if (call.when !== undefined) call.when = text(call.when, [...path, 'when'], issues);
  if (call.continueOn !== undefined) validateContinueOn(call.continueOn, [...path, 'continueOn'], issues);
  if (call.onExit !== undefined && typeof call.onExit !== 'string') issues.add('SCHEMA', [...path, 'onExit'], 'must be a template name');
  if (call.hooks !== undefined) validateHooks(call.hooks, [...path, 'hooks'], issues);
  if (call.inline !== undefined) {
    if (!isRecord(call.inline)) issues.add('SCHEMA', [...path, 'inline'], 'an inline template must be a map');
    else {
      // Inline templates have no name, but the Template type and the engine read one.
      call.inline.name ??= '';
      validateTemplateBody(call.inline, [...path, 'inline'], issues);
    }
  }
}

/** Lifecycle hooks by name (`exit`, or any other with an expression), each calling a template. */
function validateHooks(hooks: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(hooks)) {
    issues.add('SCHEMA', path, 'must be a map of hook names to hooks');
    return;
  }
  for (const [name, hook] of Object.entries(hooks)) {
    const at = [...path, name];
    if (!isRecord(hook)) issues.add('SCHEMA', at, 'a hook must be a map with template or templateRef');
    else {
      validateCallee(hook, at, 'hook', ['template', 'templateRef'], issues);
      if (hook.expression !== undefined) hook.expression = text(hook.expression, [...at, 'expression'], issues);
    }
  }
}

/** What steps, tasks and hooks share: exactly one way to name the template, and its arguments. */
function validateCallee(call: Record<string, unknown>, path: FieldPath, what: string, ways: string[], issues: IssueList): void {
  const given = ways.filter((way) => call[way] !== undefined);
  if (given.length === 0) issues.add('SCHEMA', path, `a ${what} needs ${ways.slice(0, -1).join(', ')} or ${ways.at(-1)}`);
  if (given.length > 1) issues.add('SCHEMA', path, `a ${what} has both ${given.join(' and ')}; keep one`);
  if (call.template !== undefined && typeof call.template !== 'string') issues.add('SCHEMA', [...path, 'template'], 'must be a template name');
  if (call.templateRef !== undefined) validateReference(call.templateRef, [...path, 'templateRef'], ['name', 'template'], issues);
  if (call.arguments !== undefined) validateParameterHolder(call.arguments, [...path, 'arguments'], issues);
}

/** `templateRef` (name and template) and `workflowTemplateRef` (name), either with `clusterScope`. */
function validateReference(ref: unknown, path: FieldPath, fields: string[], issues: IssueList): void {
  if (!isRecord(ref)) {
    issues.add('SCHEMA', path, `must be a map with ${fields.join(' and ')}`);
    return;
  }
  for (const field of fields) {
    if (typeof ref[field] !== 'string' || ref[field] === '') issues.add('SCHEMA', [...path, field], 'must be a non-empty string');
  }
  if (ref.clusterScope !== undefined && typeof ref.clusterScope !== 'boolean') issues.add('SCHEMA', [...path, 'clusterScope'], 'must be true or false');
}

function validateContinueOn(continueOn: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(continueOn) || Object.values(continueOn).some((flag) => typeof flag !== 'boolean')) {
    issues.add('SCHEMA', path, 'must be a map of failed and error to true or false');
  }
}

/** `inputs`, `outputs` and `arguments`: their parameter lists. */
function validateParameterHolder(holder: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(holder)) {
    issues.add('SCHEMA', path, 'must be a map with parameters');
    return;
  }
  if (holder.parameters === undefined) return;
  if (!Array.isArray(holder.parameters)) {
    issues.add('SCHEMA', [...path, 'parameters'], 'must be a list of parameters');
    return;
  }
  holder.parameters.forEach((parameter, i) => validateParameter(parameter, [...path, 'parameters', i], issues));
}

function validateParameter(parameter: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(parameter) || typeof parameter.name !== 'string' || !PARAMETER_NAME.test(parameter.name)) {
    issues.add('SCHEMA', isRecord(parameter) ? [...path, 'name'] : path, 'a parameter needs a name of letters, digits, "_" or "-"');
    return;
  }
  for (const field of ['value', 'default']) {
    // `value:` with nothing after it means no value, as it does to Kubernetes.
    if (parameter[field] === null) delete parameter[field];
    if (parameter[field] !== undefined) parameter[field] = text(parameter[field], [...path, field], issues);
  }
  for (const field of ['description', 'globalName']) {
    if (parameter[field] !== undefined && typeof parameter[field] !== 'string') issues.add('SCHEMA', [...path, field], 'must be a string');
  }
  if (parameter.enum !== undefined) {
    if (!Array.isArray(parameter.enum)) issues.add('SCHEMA', [...path, 'enum'], 'must be a list of values');
    else parameter.enum = parameter.enum.map((item, e) => text(item, [...path, 'enum', e], issues));
  }
  if (parameter.valueFrom !== undefined) {
    const { valueFrom } = parameter;
    if (!isRecord(valueFrom)) issues.add('SCHEMA', [...path, 'valueFrom'], 'must be a map');
    else {
      if (valueFrom.default !== undefined) valueFrom.default = text(valueFrom.default, [...path, 'valueFrom', 'default'], issues);
      if (valueFrom.configMapKeyRef !== undefined) validateReference(valueFrom.configMapKeyRef, [...path, 'valueFrom', 'configMapKeyRef'], ['name', 'key'], issues);
    }
  }
}

/** A field Argo types as a string: scalars become Argo's text for them; maps and lists are refused. */
function text(value: unknown, path: FieldPath, issues: IssueList): string {
  // JSON null decodes to Go's empty string.
  const result = value === null ? '' : scalarText(value);
  if (result !== undefined) return result;
  const hint = isRecord(value) ? ': YAML reads "key: value" as a map, so quote text that holds ": "' : '';
  issues.add('SCHEMA', path, `must be a string, not ${Array.isArray(value) ? 'a list' : isRecord(value) ? 'a map' : 'this value'}${hint}`);
  return '';
}

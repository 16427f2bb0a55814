// One walk over the templates of a checked workflow (or WorkflowTemplate), inline templates included,
// with the field path of each, so that every cross-reference check visits the same places and names
// them the same way. Exported for the submission's resolution of references, which walks the same.
import type { DAGTask, LifecycleHook, LifecycleHooks, Parameter, Template, WorkflowSpec, WorkflowStep } from './types.js';
import type { FieldPath } from './source-map.js';

/** A Workflow, WorkflowTemplate or ClusterWorkflowTemplate: the checks read only these. */
export interface SpecHolder {
  spec: WorkflowSpec;
  status?: { storedTemplates?: Record<string, Template> };
}

export interface TemplateAt {
  template: Template;
  path: FieldPath;
}

export interface CallAt {
  call: WorkflowStep | DAGTask;
  kind: 'step' | 'task';
  path: FieldPath;
}

export interface HookAt {
  hook: LifecycleHook;
  path: FieldPath;
}

export interface ParameterListAt {
  parameters: Parameter[];
  path: FieldPath;
  /** Arguments must carry values; inputs and outputs may leave them to callers or to the run. */
  role: 'workflow-arguments' | 'call-arguments' | 'declarations';
}

/** The spec's templates in document order, each followed by the inline templates it embeds. */
export function allTemplates(holder: SpecHolder): TemplateAt[] {
  return (holder.spec.templates ?? []).flatMap((template, i) => withInlineTemplates(template, ['spec', 'templates', i]));
}

/** A template followed by the inline templates its steps and tasks embed, at any depth. */
export function withInlineTemplates(template: Template, path: FieldPath): TemplateAt[] {
  const found: TemplateAt[] = [];
  const visit = (template: Template, path: FieldPath) => {
    found.push({ template, path });
    for (const { call, path: at } of callsOf(template, path)) if (call.inline) visit(call.inline, [...at, 'inline']);
  };
  visit(template, path);
  return found;
}

/** The steps (across all groups) and DAG tasks of a template, in document order. */
export function callsOf(template: Template, path: FieldPath): CallAt[] {
  return [
    ...(template.steps ?? []).flatMap((group, g) => group.map((call, s): CallAt => ({ call, kind: 'step', path: [...path, 'steps', g, s] }))),
    ...(template.dag?.tasks ?? []).map((call, k): CallAt => ({ call, kind: 'task', path: [...path, 'dag', 'tasks', k] })),
  ];
}

/** Lifecycle hooks by name, each a call of a template. */
export function hooksOf(hooks: LifecycleHooks | undefined, path: FieldPath): HookAt[] {
  return Object.entries(hooks ?? {}).map(([name, hook]) => ({ hook, path: [...path, name] }));
}

/** The spec's hooks and those of every step and task. */
export function allHooks(holder: SpecHolder): HookAt[] {
  return [
    ...hooksOf(holder.spec.hooks, ['spec', 'hooks']),
    ...allTemplates(holder).flatMap(({ template, path }) => callsOf(template, path).flatMap(({ call, path: at }) => hooksOf(call.hooks, [...at, 'hooks']))),
  ];
}

/**
 * Every parameter list: the spec's arguments, each template's inputs and outputs, each call's and
 * hook's arguments. `complete`: the spec's arguments must carry values (a Workflow's, not a template's).
 */
export function parameterLists(holder: SpecHolder, complete: boolean): ParameterListAt[] {
  const lists: ParameterListAt[] = [];
  const add = (parameters: Parameter[] | undefined, path: FieldPath, role: ParameterListAt['role']) => {
    if (parameters) lists.push({ parameters, path: [...path, 'parameters'], role });
  };
  add(holder.spec.arguments?.parameters, ['spec', 'arguments'], complete ? 'workflow-arguments' : 'declarations');
  for (const { template, path } of allTemplates(holder)) {
    add(template.inputs?.parameters, [...path, 'inputs'], 'declarations');
    add(template.outputs?.parameters, [...path, 'outputs'], 'declarations');
    for (const { call, path: at } of callsOf(template, path)) add(call.arguments?.parameters, [...at, 'arguments'], 'call-arguments');
  }
  for (const { hook, path } of allHooks(holder)) add(hook.arguments?.parameters, [...path, 'arguments'], 'call-arguments');
  return lists;
}

/** How messages name a template: inline ones have no name of their own. */
export function templateLabel(template: Template): string {
  return template.name ? `template "${template.name}"` : 'the inline template';
}

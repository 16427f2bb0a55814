// One walk over the templates of a checked workflow, inline templates included, with the field path
// of each, so that every cross-reference check visits the same places and names them the same way.
import type { DAGTask, Parameter, Template, Workflow, WorkflowStep } from './types.js';
import type { FieldPath } from './source-map.js';

interface TemplateAt {
  template: Template;
  path: FieldPath;
}

interface CallAt {
  call: WorkflowStep | DAGTask;
  kind: 'step' | 'task';
  path: FieldPath;
}

export interface ParameterListAt {
  parameters: Parameter[];
  path: FieldPath;
  /** Arguments must carry values; inputs and outputs may leave them to callers or to the run. */
  role: 'workflow-arguments' | 'call-arguments' | 'declarations';
}

/** The workflow's templates in document order, each followed by the inline templates it embeds. */
export function allTemplates(workflow: Workflow): TemplateAt[] {
  const found: TemplateAt[] = [];
  const visit = (template: Template, path: FieldPath) => {
    found.push({ template, path });
    for (const { call, path: at } of callsOf(template, path)) if (call.inline) visit(call.inline, [...at, 'inline']);
  };
  (workflow.spec.templates ?? []).forEach((template, i) => visit(template, ['spec', 'templates', i]));
  return found;
}

/** The steps (across all groups) and DAG tasks of a template, in document order. */
export function callsOf(template: Template, path: FieldPath): CallAt[] {
  return [
    ...(template.steps ?? []).flatMap((group, g) => group.map((call, s): CallAt => ({ call, kind: 'step', path: [...path, 'steps', g, s] }))),
    ...(template.dag?.tasks ?? []).map((call, k): CallAt => ({ call, kind: 'task', path: [...path, 'dag', 'tasks', k] })),
  ];
}

/** Every parameter list: the workflow's arguments, each template's inputs and outputs, each call's arguments. */
export function parameterLists(workflow: Workflow): ParameterListAt[] {
  const lists: ParameterListAt[] = [];
  const add = (parameters: Parameter[] | undefined, path: FieldPath, role: ParameterListAt['role']) => {
    if (parameters) lists.push({ parameters, path: [...path, 'parameters'], role });
  };
  add(workflow.spec.arguments?.parameters, ['spec', 'arguments'], 'workflow-arguments');
  for (const { template, path } of allTemplates(workflow)) {
    add(template.inputs?.parameters, [...path, 'inputs'], 'declarations');
    add(template.outputs?.parameters, [...path, 'outputs'], 'declarations');
    for (const { call, path: at } of callsOf(template, path)) add(call.arguments?.parameters, [...at, 'arguments'], 'call-arguments');
  }
  return lists;
}

/** How messages name a template: inline ones have no name of their own. */
export function templateLabel(template: Template): string {
  return template.name ? `template "${template.name}"` : 'the inline template';
}

// Parameters that must have values do: workflow arguments, the entrypoint's inputs (filled from the
// workflow arguments, as Argo does), and the inputs of every template a step or task calls.
import type { Arguments, Parameter, Template, Workflow } from './types.js';
import type { IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';

export function validateParameters(workflow: Workflow, issues: IssueList): void {
  const templates = new Map((workflow.spec.templates ?? []).map((t) => [t.name, t]));
  const args = workflow.spec.arguments?.parameters ?? [];
  args.forEach((parameter, i) => {
    if (parameter.value === undefined && parameter.valueFrom === undefined) {
      issues.add('PARAMETER', ['spec', 'arguments', 'parameters', i], `parameter "${parameter.name}" needs a value (give one with -p ${parameter.name}=…)`);
    }
    checkEnum(parameter, parameter.value, ['spec', 'arguments', 'parameters', i, 'value'], issues);
  });
  const entry = workflow.spec.entrypoint === undefined ? undefined : templates.get(workflow.spec.entrypoint);
  if (entry) checkCall(entry, workflow.spec.arguments, ['spec', 'entrypoint'], `the entrypoint "${entry.name}"`, issues);
  (workflow.spec.templates ?? []).forEach((template, i) => {
    const calls = [
      ...(template.steps ?? []).flatMap((group, g) => group.map((call, s) => ({ call, at: ['spec', 'templates', i, 'steps', g, s] as FieldPath }))),
      ...(template.dag?.tasks ?? []).map((call, k) => ({ call, at: ['spec', 'templates', i, 'dag', 'tasks', k] as FieldPath })),
    ];
    for (const { call, at } of calls) {
      const callee = call.inline ?? (call.template === undefined ? undefined : templates.get(call.template));
      if (callee) checkCall(callee, call.arguments, at, `"${call.name}" calling template "${callee.name || 'inline'}"`, issues);
    }
  });
  // Duplicate parameter names within any one list.
  const lists: { list: Parameter[] | undefined; at: FieldPath }[] = [{ list: args, at: ['spec', 'arguments', 'parameters'] }];
  (workflow.spec.templates ?? []).forEach((t, i) => {
    lists.push({ list: t.inputs?.parameters, at: ['spec', 'templates', i, 'inputs', 'parameters'] });
    lists.push({ list: t.outputs?.parameters, at: ['spec', 'templates', i, 'outputs', 'parameters'] });
  });
  for (const { list, at } of lists) {
    const seen = new Set<string>();
    list?.forEach((parameter, i) => {
      if (seen.has(parameter.name)) issues.add('DUPLICATE', [...at, i, 'name'], `parameter "${parameter.name}" is declared twice`);
      seen.add(parameter.name);
    });
  }
}

function checkCall(template: Template, args: Arguments | undefined, at: FieldPath, who: string, issues: IssueList): void {
  for (const input of template.inputs?.parameters ?? []) {
    const supplied = args?.parameters?.find((p) => p.name === input.name);
    if (supplied === undefined && input.value === undefined && input.default === undefined) {
      issues.add('PARAMETER', at, `inputs.parameters.${input.name} was not supplied to ${who}`);
    }
    if (supplied) checkEnum(input, supplied.value, at, issues);
  }
}

function checkEnum(parameter: Parameter, value: string | undefined, at: FieldPath, issues: IssueList): void {
  if (!parameter.enum || value === undefined || value.includes('{{')) return;
  if (!parameter.enum.includes(value)) {
    issues.add('PARAMETER', at, `value "${value}" of parameter "${parameter.name}" is not one of ${JSON.stringify(parameter.enum)}`);
  }
}

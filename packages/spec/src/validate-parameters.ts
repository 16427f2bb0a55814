// Parameters that must have values do, and literal values keep to their `enum`: arguments (the
// workflow's after `-p`, and every step's, task's and hook's), the entrypoint's inputs (filled from the
// workflow's arguments, as Argo does) and the inputs of every template a step, task or hook calls, by
// name or by templateRef once the referenced template is stored in the workflow's status.
import type { IssueList } from './issues.js';
import type { FieldPath } from './source-map.js';
import { storedTemplateKey } from './stored-templates.js';
import type { Arguments, Parameter, Template, TemplateCallFields } from './types.js';
import { allHooks, allTemplates, callsOf, parameterLists, templateLabel, type ParameterListAt, type SpecHolder } from './walk.js';

/** A parameter value's UTF-8 bytes at submission (`-p`, a parameters file, the document): as much as
 * one node may output, so a value taken in is one a node could have passed on. */
export const MAX_PARAMETER_BYTES = 1024 * 1024;

/** `complete`: the spec must run on its own (a Workflow); a WorkflowTemplate leaves values to its users. */
export function validateParameters(holder: SpecHolder, issues: IssueList, complete = true): void {
  for (const list of parameterLists(holder, complete)) validateList(list, issues);
  const templates = new Map((holder.spec.templates ?? []).map((template) => [template.name, template]));
  const stored = holder.status?.storedTemplates ?? {};
  const entry = templates.get(holder.spec.entrypoint ?? '');
  if (entry && complete) {
    const caller = { at: ['spec', 'entrypoint'], args: ['spec', 'arguments'], who: `the entrypoint "${entry.name}"` };
    checkSupplied(entry, holder.spec.arguments, caller, issues);
  }
  const calleeOf = (call: TemplateCallFields) =>
    call.inline ?? (call.templateRef ? stored[storedTemplateKey(call.templateRef)] : templates.get(call.template ?? ''));
  for (const { template, path } of allTemplates(holder)) {
    for (const { call, kind, path: at } of callsOf(template, path)) {
      const callee = calleeOf(call);
      if (callee) checkSupplied(callee, call.arguments, { at, args: [...at, 'arguments'], who: `${kind} "${call.name}" calling ${templateLabel(callee)}` }, issues);
    }
  }
  for (const { hook, path } of allHooks(holder)) {
    const callee = calleeOf(hook);
    if (callee) checkSupplied(callee, hook.arguments, { at: path, args: [...path, 'arguments'], who: `hook "${path.at(-1)}" calling ${templateLabel(callee)}` }, issues);
  }
}

function validateList({ parameters, path, role }: ParameterListAt, issues: IssueList): void {
  const seen = new Set<string>();
  parameters.forEach((parameter, i) => {
    const at = [...path, i];
    const { name } = parameter;
    if (seen.has(name)) issues.add('DUPLICATE', [...at, 'name'], `parameter "${name}" is declared twice in this list`);
    seen.add(name);
    if (role !== 'declarations' && parameter.value === undefined && parameter.valueFrom === undefined) {
      const hint = role === 'workflow-arguments' ? ` (give one with -p ${name}=…)` : '';
      issues.add('PARAMETER', at, `parameter "${name}" needs a value or valueFrom${hint}`);
    }
    const size = parameter.value === undefined ? 0 : Buffer.byteLength(parameter.value);
    if (size > MAX_PARAMETER_BYTES) issues.add('LIMIT', [...at, 'value'], `parameter "${name}" is ${size} bytes, over the limit of ${MAX_PARAMETER_BYTES}`);
    if (parameter.enum?.length === 0) issues.add('PARAMETER', [...at, 'enum'], `enum of parameter "${name}" must list at least one value`);
    checkEnum(parameter, parameter.value, [...at, 'value'], issues);
    checkEnum(parameter, parameter.default, [...at, 'default'], issues);
  });
}

interface Caller {
  /** Where a missing input is reported: the step, the task or the entrypoint. */
  at: FieldPath;
  /** The arguments holder, where a supplied value stands. */
  args: FieldPath;
  who: string;
}

/** Every input of `template` without a value of its own must come from `args`, within its enum. */
function checkSupplied(template: Template, args: Arguments | undefined, caller: Caller, issues: IssueList): void {
  const supplied = args?.parameters ?? [];
  for (const input of template.inputs?.parameters ?? []) {
    const j = supplied.findIndex((parameter) => parameter.name === input.name);
    if (j >= 0) checkEnum(input, supplied[j]?.value, [...caller.args, 'parameters', j, 'value'], issues);
    else if (input.value === undefined && input.default === undefined && input.valueFrom === undefined) {
      issues.add('PARAMETER', caller.at, `inputs.parameters.${input.name} was not supplied to ${caller.who}`);
    }
  }
}

/** A literal value outside the enum; values holding `{{…}}` are only known when the workflow runs. */
function checkEnum(parameter: Parameter, value: string | undefined, path: FieldPath, issues: IssueList): void {
  if (!parameter.enum?.length || value === undefined || value.includes('{{') || parameter.enum.includes(value)) return;
  issues.add('PARAMETER', path, `value "${value}" of parameter "${parameter.name}" is not one of ${JSON.stringify(parameter.enum)}`);
}

// What the command line changes in a workflow before it is checked further: Argo's `-p name=value`
// (set the parameter, or add it when the spec does not declare it) and `--entrypoint`.
import type { IssueList } from './issues.js';
import type { Workflow } from './types.js';
import { PARAMETER_NAME } from './validate-schema.js';

export interface Overrides {
  parameters?: Record<string, string>;
  entrypoint?: string;
}

export function applyOverrides(workflow: Workflow, overrides: Overrides, issues: IssueList): void {
  if (overrides.entrypoint !== undefined) workflow.spec.entrypoint = overrides.entrypoint;
  const given = Object.entries(overrides.parameters ?? {});
  if (given.length === 0) return;
  const parameters = ((workflow.spec.arguments ??= {}).parameters ??= []);
  for (const [name, value] of given) {
    const declared = parameters.find((parameter) => parameter.name === name);
    if (declared) {
      declared.value = value;
      // The value given on the command line is the one meant, not one looked up elsewhere.
      delete declared.valueFrom;
    } else if (PARAMETER_NAME.test(name)) parameters.push({ name, value });
    else issues.add('PARAMETER', ['spec', 'arguments'], `-p ${name}=…: a parameter name is letters, digits, "_" or "-"`);
  }
}

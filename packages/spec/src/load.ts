// The one way in for workflow YAML: parse, apply `-p` overrides and `--entrypoint`, check, and return
// the Workflow or every issue found.
import { SpecError, type SpecIssue } from './errors.js';
import { IssueList } from './issues.js';
import { applyOverrides, type Overrides } from './overrides.js';
import { parseYaml } from './parse.js';
import type { Workflow } from './types.js';
import { validateDags } from './validate-dag.js';
import { validateParameters } from './validate-parameters.js';
import { validateReferences } from './validate-references.js';
import { validateSchema } from './validate-schema.js';

export interface LoadOptions extends Overrides {
  /** Larger documents are refused before parsing (default 4 MiB). */
  maxBytes?: number;
}

export function lintWorkflow(text: string, file: string, options: LoadOptions = {}): SpecIssue[] {
  return check(text, file, options).issues;
}

export function loadWorkflow(text: string, file: string, options: LoadOptions = {}): Workflow {
  const { workflow, issues } = check(text, file, options);
  if (!workflow || issues.length > 0) throw new SpecError(issues);
  return workflow;
}

function check(text: string, file: string, options: LoadOptions): { workflow?: Workflow; issues: SpecIssue[] } {
  const parsed = parseYaml(text, file, options.maxBytes);
  if (Array.isArray(parsed)) return { issues: parsed };
  const issues = new IssueList(file, parsed.locator);
  // The checks below read the spec through its types, which only a spec of the right shape deserves.
  if (!validateSchema(parsed.value, issues)) return { issues: issues.inFileOrder() };
  const workflow = parsed.value as Workflow;
  applyOverrides(workflow, options, issues);
  validateReferences(workflow, issues);
  validateDags(workflow, issues);
  validateParameters(workflow, issues);
  return { workflow, issues: issues.inFileOrder() };
}

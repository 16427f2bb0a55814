// The one way in for workflow YAML: parse, apply `-p` overrides and `--entrypoint`, validate, and
// return the Workflow or every issue found.
import { parse as parseYamlValue } from 'yaml';
import { SpecError, type SpecIssue } from './errors.js';
import { IssueList, isRecord } from './issues.js';
import { parseYaml } from './parse.js';
import type { Workflow } from './types.js';
import { validateParameters } from './validate-parameters.js';
import { validateReferences } from './validate-references.js';
import { validateSchema } from './validate-schema.js';

export interface LoadOptions {
  parameters?: Record<string, string>;
  entrypoint?: string;
  maxBytes?: number;
}

export function lintWorkflow(text: string, file: string, options: LoadOptions = {}): SpecIssue[] {
  return check(text, file, options).issues;
}

export function loadWorkflow(text: string, file: string, options: LoadOptions = {}): Workflow {
  const { workflow, issues } = check(text, file, options);
  if (issues.length > 0 || !workflow) throw new SpecError(issues);
  return workflow;
}

function check(text: string, file: string, options: LoadOptions): { workflow?: Workflow; issues: SpecIssue[] } {
  const parsed = parseYaml(text, file, options.maxBytes);
  if (Array.isArray(parsed)) return { issues: parsed };
  const issues = new IssueList(file, parsed.locator);
  validateSchema(parsed.value, issues);
  if (issues.items.length > 0) return { issues: issues.items };
  const workflow = parsed.value as Workflow;
  applyOverrides(workflow, options);
  validateReferences(workflow, issues);
  validateParameters(workflow, issues);
  return { workflow, issues: issues.items };
}

/** Argo's `-p`: set the named workflow parameter, or add it when the spec does not declare it. */
function applyOverrides(workflow: Workflow, options: LoadOptions): void {
  if (options.entrypoint !== undefined) workflow.spec.entrypoint = options.entrypoint;
  const overrides = Object.entries(options.parameters ?? {});
  if (overrides.length === 0) return;
  const parameters = ((workflow.spec.arguments ??= {}).parameters ??= []);
  for (const [name, value] of overrides) {
    const existing = parameters.find((p) => p.name === name);
    if (existing) {
      existing.value = value;
      delete existing.valueFrom;
    } else parameters.push({ name, value });
  }
}

/** Argo's `--parameter-file`: a YAML or JSON map of parameter names to values. */
export function parseParameterFile(text: string, file: string): Record<string, string> {
  let value: unknown;
  try {
    value = parseYamlValue(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new SpecError([{ code: 'YAML', file, path: '', message: (error as Error).message.split('\n')[0]! }]);
  }
  if (!isRecord(value)) throw new SpecError([{ code: 'SCHEMA', file, path: '', message: 'a parameter file must be a map of names to values' }]);
  const parameters: Record<string, string> = {};
  for (const [name, raw] of Object.entries(value)) {
    parameters[name] = typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : String(raw);
  }
  return parameters;
}

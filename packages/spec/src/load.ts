// The one way in for workflow YAML: parse, apply `-p` overrides and `--entrypoint`, check, and return
// the Workflow or every issue found. A workflow that refers to stored resources (a WorkflowTemplate,
// a ConfigMap) is parsed first, resolved by its submitter, and only then checked for references.
import { SpecError, type SpecIssue } from './errors.js';
import { IssueList, type DocumentSource } from './issues.js';
import { applyOverrides, type Overrides } from './overrides.js';
import { parseYaml, parseYamlDocuments, type Parsed } from './parse.js';
import type { Workflow } from './types.js';
import { validateDags } from './validate-dag.js';
import { validateNames } from './validate-names.js';
import { validateParameters } from './validate-parameters.js';
import { validateReferences } from './validate-references.js';
import { validateSchema } from './validate-schema.js';
import type { SpecHolder } from './walk.js';

export interface LoadOptions extends Overrides {
  /** Larger documents are refused before parsing (default 4 MiB). */
  maxBytes?: number;
}

/** A workflow of the right shape, with the source that places issues found in it later. */
export interface ParsedWorkflow {
  workflow: Workflow;
  source: DocumentSource;
}

export function lintWorkflow(text: string, file: string, options: LoadOptions = {}): SpecIssue[] {
  return check(text, file, options).issues;
}

export function loadWorkflow(text: string, file: string, options: LoadOptions = {}): Workflow {
  const { workflow, issues } = check(text, file, options);
  if (!workflow || issues.length > 0) throw new SpecError(issues);
  return workflow;
}

/** Parse, shape and overrides: all that can be checked before the workflow's references are resolved. */
export function parseWorkflow(text: string, file: string, options: LoadOptions = {}): ParsedWorkflow {
  const read = readWorkflow(text, file, options);
  if (Array.isArray(read)) throw new SpecError(read);
  if (!read.workflow || read.issues.items.length > 0) throw new SpecError(read.issues.inFileOrder());
  return { workflow: read.workflow, source: read.issues.source };
}

/**
 * Every workflow of a file of one or more documents separated by `---` (what `argo submit` takes), each
 * parsed, shaped and overridden as `parseWorkflow` does; throws every issue of every document, each
 * placed in its document.
 */
export function parseWorkflows(text: string, file: string, options: LoadOptions = {}): ParsedWorkflow[] {
  const documents = parseYamlDocuments(text, file, options.maxBytes);
  const issues: SpecIssue[] = [];
  const workflows: ParsedWorkflow[] = [];
  for (const document of documents) {
    const read = shapeWorkflow(document, options);
    if (!read.workflow || read.issues.items.length > 0) issues.push(...read.issues.inFileOrder());
    else workflows.push({ workflow: read.workflow, source: read.issues.source });
  }
  if (issues.length > 0) throw new SpecError(issues);
  return workflows;
}

/** The cross-reference checks, on a parsed workflow once its references are resolved. */
export function checkWorkflow({ workflow, source }: ParsedWorkflow): void {
  const issues = new IssueList(source);
  crossCheck(workflow, issues, true);
  if (issues.items.length > 0) throw new SpecError(issues.inFileOrder());
}

/**
 * Names, template references, DAGs and parameters. `complete`: the spec must run on its own, as a
 * Workflow's must; a WorkflowTemplate may leave its entrypoint and argument values to its users.
 */
export function crossCheck(holder: SpecHolder, issues: IssueList, complete: boolean): void {
  validateReferences(holder, issues, complete);
  validateDags(holder, issues);
  validateParameters(holder, issues, complete);
  validateNames(holder, issues);
}

function check(text: string, file: string, options: LoadOptions): { workflow?: Workflow; issues: SpecIssue[] } {
  const read = readWorkflow(text, file, options);
  if (Array.isArray(read)) return { issues: read };
  if (read.workflow) crossCheck(read.workflow, read.issues, true);
  return { workflow: read.workflow, issues: read.issues.inFileOrder() };
}

function readWorkflow(text: string, file: string, options: LoadOptions): SpecIssue[] | { workflow?: Workflow; issues: IssueList } {
  const parsed = parseYaml(text, file, options.maxBytes);
  return Array.isArray(parsed) ? parsed : shapeWorkflow(parsed, options);
}

/** The schema's check and the overrides, on one parsed document. */
function shapeWorkflow(parsed: Parsed, options: LoadOptions): { workflow?: Workflow; issues: IssueList } {
  const issues = new IssueList(parsed.source);
  // The checks below read the spec through its types, which only a spec of the right shape deserves.
  if (!validateSchema(parsed.value, issues)) return { issues };
  const workflow = parsed.value as Workflow;
  applyOverrides(workflow, options, issues);
  return { workflow, issues };
}

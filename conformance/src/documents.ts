// Splits an example file into its YAML documents and decides what each one is for: a Workflow to
// submit, a template or ConfigMap to apply before any workflow, an Argo kind not run yet, or something
// that is not a workflow at all. Each document keeps its own text, padded so that line numbers in
// Regatta's messages are those of the original file.
import { parseAllDocuments } from 'yaml';

export type ApplyKind = 'ConfigMap' | 'ClusterWorkflowTemplate' | 'WorkflowTemplate';

export type DocumentAction =
  | { action: 'submit' }
  /** A CronWorkflow: stored suspended, then one workflow run from it with `submit --from cronwf/NAME`. */
  | { action: 'cron' }
  | { action: 'apply'; kind: ApplyKind }
  | { action: 'unsupported'; reason: string }
  | { action: 'not-a-workflow'; reason: string };

export interface ExampleDocument {
  /** Position in the file, from 0. */
  index: number;
  kind: string;
  /** metadata.name or generateName, where the document parses. */
  name?: string;
  /** The document alone, preceded by as many empty lines as came before it in the file. */
  text: string;
  plan: DocumentAction;
  /** The reason given by Argo's `workflows.argoproj.io/no-test` label: the example is not expected to succeed. */
  noTest?: string;
}

/** Applied in this order: ConfigMaps feed templates and workflows; cluster templates before namespaced ones. */
export const APPLY_ORDER: readonly ApplyKind[] = ['ConfigMap', 'ClusterWorkflowTemplate', 'WorkflowTemplate'];

const NO_TEST = 'workflows.argoproj.io/no-test';
/** Argo kinds Regatta will run but does not yet; anything else outside this list is not a workflow. */
const NOT_RUN_YET = new Set(['WorkflowEventBinding']);

export function splitDocuments(text: string): ExampleDocument[] {
  const documents: ExampleDocument[] = [];
  for (const parsed of parseAllDocuments(text, { merge: true })) {
    const [start, , end] = parsed.range;
    const source = text.slice(start, end);
    if (source.replace(/^---/, '').trim() === '' || parsed.contents === null) continue;
    const padding = '\n'.repeat(text.slice(0, start).split('\n').length - 1);
    // A document YAML cannot read as it is (Argo accepts a few laxer forms) still says its kind on a
    // line of its own; Regatta's loader then decides whether it reads.
    const value = parsed.errors.length === 0 ? (parsed.toJS() as unknown) : undefined;
    const kind = stringField(value, 'kind') ?? /^kind:\s*["']?([A-Za-z]+)/m.exec(source)?.[1] ?? 'unknown';
    const metadata = isRecord(value) ? value.metadata : undefined;
    const name = stringField(metadata, 'name') ?? stringField(metadata, 'generateName');
    const labels = isRecord(metadata) ? metadata.labels : undefined;
    const noTest = value === undefined ? /^\s*workflows\.argoproj\.io\/no-test:\s*["']?([^"'\s#]*)/m.exec(source)?.[1] : stringField(labels, NO_TEST);
    documents.push({
      index: documents.length,
      kind,
      ...(name !== undefined && { name }),
      text: padding + source,
      plan: planFor(kind),
      ...(noTest !== undefined && { noTest }),
    });
  }
  return documents;
}

export function planFor(kind: string): DocumentAction {
  if (kind === 'Workflow') return { action: 'submit' };
  if (kind === 'CronWorkflow') return { action: 'cron' };
  if ((APPLY_ORDER as readonly string[]).includes(kind)) return { action: 'apply', kind: kind as ApplyKind };
  if (NOT_RUN_YET.has(kind)) return { action: 'unsupported', reason: kind };
  return { action: 'not-a-workflow', reason: `not a workflow (${kind})` };
}

export function documentLabel(document: ExampleDocument): string {
  return `${document.kind} ${document.name ?? `#${document.index + 1}`}`;
}

function stringField(value: unknown, field: string): string | undefined {
  const found = isRecord(value) ? value[field] : undefined;
  return typeof found === 'string' ? found : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

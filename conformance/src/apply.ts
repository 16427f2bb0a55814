// Templates and ConfigMaps of the corpus are applied before any workflow runs, as Argo's own example
// test does, through the `regatta` commands that store them.
import type { ApplyKind, ExampleDocument } from './documents.js';
import { documentLabel } from './documents.js';
import type { DocumentFiles } from './document-files.js';
import type { DocumentOutcome } from './outcome.js';
import { classifyCliRefusal } from './refusal.js';
import type { RegattaCli } from './regatta-cli.js';

const COMMANDS: Record<ApplyKind, (file: string) => string[]> = {
  ConfigMap: (file) => ['configmap', 'apply', '-f', file],
  ClusterWorkflowTemplate: (file) => ['cluster-template', 'create', file],
  WorkflowTemplate: (file) => ['template', 'create', file],
};

export async function applyDocument(cli: RegattaCli, files: DocumentFiles, file: string, document: ExampleDocument, kind: ApplyKind): Promise<DocumentOutcome> {
  const args = COMMANDS[kind](file);
  const { code, stderr } = await cli.run(args, files.write(file, document.text));
  const outcome = code === 0 ? { class: 'skipped' as const, reason: `not a workflow (${kind}, applied)` } : classifyCliRefusal(stderr, file, args.slice(0, 2).join(' '));
  return { document: documentLabel(document), ...outcome };
}

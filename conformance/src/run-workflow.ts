// One Workflow document from submission to verdict: prepared and submitted as `regatta submit` does
// (the CLI's own functions, which resolve stored templates and ConfigMaps), then its stored status read
// every half second until it ends or runs out of time (then it is deleted, which stops its nodes), then
// judged against the manifest.
import type { Redis } from 'ioredis';
import { prepareWorkflow, submitWorkflow } from '@regatta/client';
import { SpecError, workflowEnded, type Workflow } from '@regatta/spec';
import type { WorkflowStore } from '@regatta/store';
import { documentLabel, type ExampleDocument } from './documents.js';
import { judge } from './judge.js';
import type { ManifestEntry } from './manifest.js';
import type { DocumentOutcome, Outcome } from './outcome.js';
import { classifyIssues } from './refusal.js';

const POLL_MS = 500;

export interface WorkflowContext {
  redis: Redis;
  prefix: string;
  shards: number;
  store: WorkflowStore;
  timeoutS: number;
  /** The installation's artifact repository the run sets up (the process's environment's, without one). */
  installation?: Parameters<typeof submitWorkflow>[4];
}

export async function runWorkflow(context: WorkflowContext, file: string, document: ExampleDocument, entry: ManifestEntry | undefined): Promise<DocumentOutcome> {
  const label = documentLabel(document);
  let workflow: Workflow;
  try {
    workflow = prepareWorkflow(document.text, file, { shards: context.shards });
    await submitWorkflow(context.redis, context.prefix, workflow, context.shards, context.installation);
  } catch (error) {
    const refusal = refusalOutcome(error);
    // Argo does not hold a no-test example to its rules; a missing feature is still worth its own line.
    if (refusal.class === 'fail' && document.noTest !== undefined) return { document: label, class: 'skipped', reason: `no-test label (${document.noTest}): refused: ${refusal.reason}` };
    return { document: label, ...refusal };
  }
  // Preparing gave the workflow its uid and namespace, submitting its name.
  const { name, uid, namespace = 'default', generateName } = workflow.metadata as Workflow['metadata'] & { name: string; uid: string };
  return followWorkflow(context, label, document, entry, { name, uid, namespace, generateName });
}

/** Reads a submitted workflow's status until it ends or runs out of time, then judges it. */
export async function followWorkflow(
  context: WorkflowContext,
  label: string,
  document: ExampleDocument,
  entry: ManifestEntry | undefined,
  { name, uid, namespace, generateName }: { name: string; uid: string; namespace: string; generateName?: string | undefined },
): Promise<DocumentOutcome> {
  const started = Date.now();
  const deadline = started + context.timeoutS * 1000;
  for (;;) {
    const stored = await context.store.load(uid);
    if (!stored) return { document: label, class: 'fail', reason: `workflow ${name} disappeared from the store` };
    const status = stored.workflow.status;
    const ended = workflowEnded(status.phase);
    const timedOut = !ended && Date.now() > deadline;
    if (ended || timedOut) {
      if (timedOut) await context.store.delete(namespace, name);
      const run = { name, status, ...(generateName !== undefined && { generateName }) };
      const outcome = judge(timedOut ? { ...run, timedOutAfterS: context.timeoutS } : run, entry?.expect, document.noTest);
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      return { document: label, ...outcome, workflow: { name, phase: status.phase || 'Pending', seconds } };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function refusalOutcome(error: unknown): Outcome {
  if (!(error instanceof SpecError)) return { class: 'fail', reason: `submission failed: ${(error as Error).message}` };
  return classifyIssues(error.issues.map(({ path, line, column, message }) => ({ place: path || (line === undefined ? '' : `${line}:${column ?? 1}`), message })));
}

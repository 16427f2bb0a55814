// Argo's resubmit and retry of an archived workflow (one Redis no longer holds), over any client:
// resubmit submits its spec anew; retry recreates it live, as it ended, and retries it there.
import { randomUUID } from 'node:crypto';
import { controlRefusal } from '@regatta/engine';
import type { Workflow } from '@regatta/spec';
import { ClientError, type WorkflowClient } from './client.js';
import { resubmitted } from './resubmit.js';

export function resubmitArchived(client: WorkflowClient, archived: Workflow, options: { memoized?: boolean } = {}): Promise<Workflow> {
  return client.createWorkflow(resubmitted(archived, options.memoized === true));
}

/**
 * Recreates a Failed or Error archived workflow under its name with a new uid (as Argo gives the new
 * object one) and asks for its retry. Refused, changing nothing, when its phase allows no retry or its
 * name is taken by a live workflow.
 */
export async function retryArchived(client: WorkflowClient, archived: Workflow): Promise<Workflow> {
  const { name = '', namespace = 'default' } = archived.metadata;
  const refused = controlRefusal(name, archived.status?.phase, 'retry');
  if (refused !== undefined) throw new ClientError('FailedPrecondition', refused);
  const live: Workflow = { ...structuredClone(archived), metadata: { ...structuredClone(archived.metadata), uid: randomUUID() } };
  try {
    await client.createWorkflow(live);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EXISTS') throw new ClientError('FailedPrecondition', `workflow "${name}" already exists in namespace "${namespace}"`);
    throw error;
  }
  await client.retryWorkflow(namespace, name);
  return live;
}

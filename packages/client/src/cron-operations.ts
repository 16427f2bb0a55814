// What deleting, suspending and resuming a CronWorkflow changes besides its spec, the same for the
// CLI and the server: a deleted one takes its status and the workflows it started with it (as
// Kubernetes' garbage collector deletes the Workflows a CronWorkflow owns); a resumed one that its
// stop strategy had stopped is scheduled again.
import type { CronWorkflow } from '@regatta/spec';
import type { CronStore, ResourceStore, WorkflowStore } from '@regatta/store';
import { ClientError } from './client.js';

export interface CronStores {
  resources: ResourceStore;
  crons: CronStore;
  workflows: WorkflowStore;
}

function cronNotFound(namespace: string, name: string): ClientError {
  return new ClientError('NotFound', `CronWorkflow "${name}" not found in namespace "${namespace}"`);
}

/** Deletes the CronWorkflow, its status and its workflows; NotFound if there is none. */
export async function deleteCronWorkflow(stores: CronStores, namespace: string, name: string): Promise<void> {
  if (!(await stores.resources.delete('CronWorkflow', namespace, name))) throw cronNotFound(namespace, name);
  for (const child of await stores.crons.remove(namespace, name)) await stores.workflows.deleteByUid(child.uid, namespace, child.name);
}

/** Sets `spec.suspend`; resuming also makes a Stopped CronWorkflow Active. Returns it as stored. */
export async function suspendCronWorkflow(stores: Omit<CronStores, 'workflows'>, namespace: string, name: string, suspend: boolean): Promise<CronWorkflow> {
  const cron = await stores.resources.get('CronWorkflow', namespace, name);
  // Replaced only if still there: a CronWorkflow deleted meanwhile is not brought back.
  const changed = cron && (await stores.resources.replace('CronWorkflow', { ...cron, spec: { ...cron.spec, suspend } }));
  if (!changed) throw cronNotFound(namespace, name);
  if (!suspend) await stores.crons.setPhase(namespace, name, 'Active');
  return changed;
}

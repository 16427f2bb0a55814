// Argo's `@latest`, which every command that takes a workflow's name accepts.
import type { WorkflowClient } from '@regatta/client';
/** Argo's `@latest`: the namespace's most recently created workflow; any other name as given. */
export async function resolveName(client: WorkflowClient, namespace: string, name: string): Promise<string> {
  if (name !== '@latest') return name;
  const [latest] = await client.listWorkflows(namespace, { limit: 1 });
  if (!latest) throw new Error(`@latest: no workflows in namespace "${namespace}"`);
  return latest.name;
}

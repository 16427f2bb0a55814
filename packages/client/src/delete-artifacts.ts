// `delete` of a workflow whose artifacts go with it (artifactGC OnWorkflowDeletion): they are deleted
// first, and should one fail, the workflow is kept, the failure recorded in its conditions (Argo's
// finalizer stays), unless the workflow says forceFinalizerRemoval. Deleting again retries.
import type { ShardStreams } from '@regatta/queue';
import type { StoredWorkflow } from '@regatta/store';
import { ClientError } from './client.js';
import { deleteArtifacts, type ArtifactDeleter } from './artifact-garbage.js';

/** Deletes the workflow's OnWorkflowDeletion artifacts; throws FailedPrecondition when some remain and the workflow must stay. */
export async function deleteWorkflowArtifacts(stored: StoredWorkflow, deleter: ArtifactDeleter | undefined, streams: () => Promise<ShardStreams>): Promise<void> {
  const { WorkflowState, artifactsCollectedOn } = await import('@regatta/engine');
  const { workflow } = stored;
  const garbage = artifactsCollectedOn(new WorkflowState(structuredClone(workflow)), 'OnWorkflowDeletion');
  if (garbage.length === 0) return;
  const namespace = workflow.metadata.namespace ?? 'default';
  const artifacts = await deleteArtifacts(deleter, namespace, garbage);
  const failed = artifacts.filter(({ message }) => message !== undefined);
  if (failed.length === 0 || workflow.spec.artifactGC?.forceFinalizerRemoval === true) return;
  // The scheduler records the outcome on the kept workflow: the ones deleted are marked, the failures become its condition.
  await (await streams()).append(stored.shard, workflow.metadata.uid!, { type: 'artifactsCollected', strategy: 'OnWorkflowDeletion', artifacts });
  const reasons = failed.map(({ name, message }) => `"${name}": ${message}`).join('; ');
  throw new ClientError('FailedPrecondition', `workflow "${workflow.metadata.name}" is kept: its artifacts could not all be deleted (artifactGC OnWorkflowDeletion): ${reasons}`);
}

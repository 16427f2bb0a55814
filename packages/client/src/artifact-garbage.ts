// Deleting artifacts for artifactGC, shared by the scheduler (OnWorkflowCompletion, a ttlStrategy's
// deletion) and `delete` (OnWorkflowDeletion): each artifact is deleted through the one narrow
// interface the artifact stores offer, and each outcome is reported rather than thrown, so one
// failure neither hides the others nor stops the rest.
import type { CollectedArtifact, GarbageArtifact } from '@regatta/engine';
import type { Artifact } from '@regatta/spec';

/** What artifactGC asks of the artifact stores: delete one artifact of a workflow in `namespace` (its credentials are read there). Deleting what is gone succeeds. */
export interface ArtifactDeleter {
  delete(artifact: Artifact, namespace: string): Promise<void>;
}

/** Deletes each artifact (a few at a time); every outcome comes back, a failure with its message. */
export async function deleteArtifacts(deleter: ArtifactDeleter | undefined, namespace: string, garbage: GarbageArtifact[]): Promise<CollectedArtifact[]> {
  const results: CollectedArtifact[] = [];
  const pending = [...garbage];
  const worker = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) results.push(await deleteOne(deleter, namespace, next));
  };
  await Promise.all(Array.from({ length: Math.min(DELETES_AT_ONCE, pending.length) }, worker));
  return results;
}

/** Deletes in flight at once: stores throttle a burst, and a workflow may have thousands of artifacts. */
const DELETES_AT_ONCE = 8;

async function deleteOne(deleter: ArtifactDeleter | undefined, namespace: string, { nodeId, artifact }: GarbageArtifact): Promise<CollectedArtifact> {
  const done = { nodeId, name: artifact.name };
  if (!deleter) return { ...done, message: 'no artifact store is configured here to delete it from' };
  try {
    await deleter.delete(artifact, namespace);
    return done;
  } catch (error) {
    return { ...done, message: error instanceof Error ? error.message : String(error) };
  }
}

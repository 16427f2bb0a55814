// artifactGC's deletes outside a worker (the scheduler, `regatta delete`): the stored artifact store,
// loaded on the first delete, so that a command that deletes nothing does not pay for the stores' drivers.
import type { Artifact } from '@regatta/spec';
import type { ArtifactDeleter } from './artifact-garbage.js';
import type { StoredArtifactStoreOptions } from './stored-artifact-store.js';

export function storedArtifactDeleter(options: StoredArtifactStoreOptions): ArtifactDeleter {
  let store: Promise<ArtifactDeleter> | undefined;
  const open = async () => (await import('./stored-artifact-store.js')).storedArtifactStore(options);
  return {
    delete: async (artifact: Artifact, namespace: string) => (await (store ??= open())).delete(artifact, namespace),
  };
}

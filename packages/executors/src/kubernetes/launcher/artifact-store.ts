// The artifact store of a pod's `regatta-init` and `wait` containers, behind the launcher's two narrow
// interfaces (ArtifactLoader, ArtifactSaver): @regatta/artifacts' store, a driver per location (s3,
// azure, gcs, git, http, artifactory), and the local folder store at REGATTA_ARTIFACTS_DIR where the worker
// gave one (a hostPath that only a single-node cluster shares with its worker).
import { ArtifactStore as Stores, type SecretSource } from '@regatta/artifacts';
import type { Artifact } from '@regatta/spec';
import type { ArtifactLoader } from './place-inputs.js';
import type { ArtifactSaver } from './save-outputs.js';

export type ArtifactStore = ArtifactLoader & ArtifactSaver;

/** The pod's store, from the executor container's environment; `secrets` gives the stores' credentials. */
export function artifactStore(env: NodeJS.ProcessEnv = process.env, secrets?: SecretSource): ArtifactStore {
  const dir = env.REGATTA_ARTIFACTS_DIR;
  const stores = new Stores({ ...(dir && { localRoot: dir }), ...(secrets && { secrets }) });
  // Keys of the local store are scoped by the workflow's namespace (the engine makes them so; a literal
  // `from` could name another namespace's); the pod may run in another namespace.
  const workflowNamespace = env.REGATTA_WORKFLOW_NAMESPACE ?? '';
  const checkKey = (artifact: Artifact): void => {
    if (!stores.isLocal(artifact)) return;
    if (!dir) throw new Error('this pod has no local artifact repository (the worker gives pods none: configure an artifact repository such as S3)');
    if (!artifact.key!.startsWith(`${workflowNamespace}/`)) throw new Error(`key ${artifact.key} is not in namespace "${workflowNamespace}"'s artifacts`);
  };
  return {
    load: async (artifact, destination, namespace) => (checkKey(artifact), stores.load(artifact, destination, namespace)),
    save: async (source, artifact, namespace) => (checkKey(artifact), stores.save(source, artifact, namespace)),
  };
}

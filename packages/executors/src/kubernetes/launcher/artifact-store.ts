// The artifact store of a pod's `regatta-init` and `wait` containers, behind the launcher's two narrow
// interfaces (ArtifactLoader, ArtifactSaver). The one place that picks the implementation: today the
// local folder store (LocalArtifactRepository, artifacts with a top-level `key`) at REGATTA_ARTIFACTS_DIR,
// a hostPath that only a single-node cluster shares with its worker; once @regatta/artifacts is merged,
// its facade (a driver per location: s3, azure, gcs, git, http…) replaces it here.
import type { Artifact } from '@regatta/spec';
import { LocalArtifactRepository } from '../../artifacts/local-repository.js';
import type { ArtifactLoader } from './place-inputs.js';
import type { ArtifactSaver } from './save-outputs.js';

export type ArtifactStore = ArtifactLoader & ArtifactSaver;

/** The store the worker gave the pod, from the executor container's environment; undefined where it gave none. */
export function artifactStore(env: NodeJS.ProcessEnv = process.env): ArtifactStore | undefined {
  const dir = env.REGATTA_ARTIFACTS_DIR;
  if (!dir) return undefined;
  const repository = new LocalArtifactRepository(dir);
  // The local store has no credentials, so no use for the pod's namespace; its keys are scoped by the
  // workflow's (the engine makes them so; a literal `from` could name another namespace's).
  const workflowNamespace = env.REGATTA_WORKFLOW_NAMESPACE ?? '';
  const keyOf = ({ name, key }: Artifact): string => {
    if (key === undefined) throw new Error(`artifact "${name}" has no key in the local artifact repository ${repository.root}, the only store of this pod`);
    if (!key.startsWith(`${workflowNamespace}/`)) throw new Error(`key ${key} is not in namespace "${workflowNamespace}"'s artifacts`);
    return key;
  };
  return {
    load: (artifact, destination) => repository.load(keyOf(artifact), destination, artifact.archive?.none !== undefined),
    save: (source, artifact) => repository.save(keyOf(artifact), source),
  };
}

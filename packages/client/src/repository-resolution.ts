// Which artifact repository a workflow's artifacts go to, decided once at submission as Argo's
// controller does (artifactrepositories.go): `spec.artifactRepositoryRef` names a key of a ConfigMap
// of the workflow's namespace (`artifact-repositories` by default; without a key, the one its
// annotation names); without a ref, the namespace's `artifact-repositories` default if it has one,
// else the installation's, else Regatta's local store. The result is kept in
// `status.artifactRepositoryRef`, so a retry or resubmission, and every node, sees the same.
import type { ArtifactRepository, ArtifactRepositoryRefStatus, ConfigMap, FieldPath, Workflow } from '@regatta/spec';
import { ArtifactRepositoryError, parseArtifactRepository } from './artifact-repository.js';

const DEFAULT_CONFIGMAP = 'artifact-repositories';
const DEFAULT_KEY_ANNOTATION = 'workflows.argoproj.io/default-artifact-repository';

const REF: FieldPath = ['spec', 'artifactRepositoryRef'];

/**
 * Sets `status.artifactRepositoryRef` unless it is set already; nothing for the local store. Throws an
 * ArtifactRepositoryError naming the ConfigMap, key or variable when the repository cannot be had.
 */
export async function resolveArtifactRepository(
  workflow: Workflow,
  getConfigMap: (namespace: string, name: string) => Promise<ConfigMap | undefined>,
  installation: () => ArtifactRepository | undefined,
): Promise<void> {
  if (workflow.status?.artifactRepositoryRef) return;
  const namespace = workflow.metadata.namespace ?? 'default';
  const ref = workflow.spec.artifactRepositoryRef;
  let resolved: ArtifactRepositoryRefStatus | undefined;
  if (ref) {
    const configMap = ref.configMap || DEFAULT_CONFIGMAP;
    const found = await getConfigMap(namespace, configMap);
    if (!found) throw new ArtifactRepositoryError(`ConfigMap "${configMap}" not found in namespace "${namespace}"`, [...REF, ref.configMap ? 'configMap' : 'key']);
    resolved = fromConfigMap(found, namespace, ref.key, [...REF, 'key']);
  } else {
    const found = await getConfigMap(namespace, DEFAULT_CONFIGMAP);
    // Only a ConfigMap that names its default stands for the namespace; else the installation's applies.
    if (found?.metadata.annotations?.[DEFAULT_KEY_ANNOTATION]) resolved = fromConfigMap(found, namespace, undefined, undefined);
    else {
      const repository = installation();
      if (repository) resolved = { default: true, artifactRepository: repository };
    }
  }
  if (resolved) workflow.status = { phase: '', ...workflow.status, artifactRepositoryRef: resolved };
}

/** The repository at `key` of the ConfigMap, or at the key its annotation names. */
function fromConfigMap(configMap: ConfigMap, namespace: string, wanted: string | undefined, path: FieldPath | undefined): ArtifactRepositoryRefStatus {
  const name = configMap.metadata.name ?? DEFAULT_CONFIGMAP;
  const key = wanted || configMap.metadata.annotations?.[DEFAULT_KEY_ANNOTATION];
  if (!key) throw new ArtifactRepositoryError(`ConfigMap "${name}" has no annotation ${DEFAULT_KEY_ANNOTATION} to name its default key, and no key is given`, path);
  const text = configMap.data && Object.hasOwn(configMap.data, key) ? configMap.data[key] : undefined;
  if (text === undefined) throw new ArtifactRepositoryError(`key "${key}" not found in ConfigMap "${name}" of namespace "${namespace}"`, path);
  try {
    return { configMap: name, key, namespace, artifactRepository: parseArtifactRepository(text, `ConfigMap "${name}" key "${key}"`) };
  } catch (error) {
    throw error instanceof ArtifactRepositoryError ? new ArtifactRepositoryError(error.message, path) : error;
  }
}

// Where artifacts lie in a store other than Regatta's local folder. Argo's archive location of a pod
// (its template's `archiveLocation` when that names a whole location, else the workflow's resolved
// repository, `keyFormat` turned into the key), the key an output artifact gets under it, and Argo's
// key-only artifacts (`s3: {key: x}`) completed from it. Pure: the key format's variables are
// substituted by the caller's lookup.
import type { ArchiveStrategy, Artifact, ArtifactLocation, ArtifactRepository, Template } from '@regatta/spec';

/** The stores whose location carries a key the repository can give, with the field that holds it (Argo's GetKey/SetKey). */
const KEY_FIELDS = { s3: 'key', gcs: 'key', azure: 'blob', artifactory: 'url' } as const;

type KeyedStore = keyof typeof KEY_FIELDS;

export const KEYED_STORES = Object.keys(KEY_FIELDS) as KeyedStore[];

/** Argo's DefaultArchivePattern. */
const DEFAULT_KEY_FORMAT = '{{workflow.name}}/{{pod.name}}';

/** One store's location, at most one field set. */
export type StoreLocation = Pick<ArtifactLocation, KeyedStore>;

/** The store an artifact (or location) names, if any of the keyed ones. */
export function storeOf(location: StoreLocation): KeyedStore | undefined {
  return KEYED_STORES.find((store) => location[store] !== undefined);
}

/** The store's key (S3/GCS `key`, Azure `blob`, Artifactory `url`). */
export function keyOf(location: StoreLocation, store: KeyedStore): string | undefined {
  const value = (location[store] as Record<string, unknown> | undefined)?.[KEY_FIELDS[store]];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The same location with its key replaced. */
export function withKey(location: StoreLocation, store: KeyedStore, key: string): StoreLocation {
  return { [store]: { ...location[store], [KEY_FIELDS[store]]: key } };
}

/**
 * Argo's HasLocation: a location that names all it needs (S3: endpoint, bucket, key; GCS: bucket, key;
 * Azure: endpoint, container, blob; Artifactory: url). Anything less is completed from the archive location.
 */
export function isWhole(location: StoreLocation, store: KeyedStore): boolean {
  const fields = location[store] as Record<string, unknown>;
  const needed = { s3: ['endpoint', 'bucket'], gcs: ['bucket'], azure: ['endpoint', 'container'], artifactory: [] }[store];
  return keyOf(location, store) !== undefined && needed.every((field) => typeof fields[field] === 'string' && fields[field] !== '');
}

/** A repository's archive location (Argo's ToArtifactLocation): its store's fields, `keyFormat` as the key, still unsubstituted. */
function repositoryLocation(repository: ArtifactRepository | undefined): StoreLocation | undefined {
  if (!repository) return undefined;
  // Argo's precedence when several are set (ArtifactRepository.Get).
  if (repository.artifactory) {
    const { repoURL = '', keyFormat, ...auth } = repository.artifactory;
    return { artifactory: { ...auth, url: `${repoURL.endsWith('/') ? repoURL : `${repoURL}/`}${keyFormat || DEFAULT_KEY_FORMAT}` } };
  }
  if (repository.azure) {
    const { blobNameFormat, ...container } = repository.azure;
    return { azure: { ...container, blob: blobNameFormat || DEFAULT_KEY_FORMAT } };
  }
  if (repository.gcs) {
    const { keyFormat, key: _key, ...bucket } = repository.gcs;
    return { gcs: { ...bucket, key: keyFormat || DEFAULT_KEY_FORMAT } };
  }
  if (repository.s3) {
    const { keyFormat, keyPrefix, key: _key, ...bucket } = repository.s3;
    return { s3: { ...bucket, key: keyFormat || [keyPrefix, DEFAULT_KEY_FORMAT].filter(Boolean).join('/') } };
  }
  return undefined;
}

/**
 * Where a template's outputs (and its key-only artifacts) go: its own `archiveLocation` when that is a
 * whole location (its key the prefix), else the repository's; undefined means Regatta's local store.
 */
export function archiveLocationOf(template: Template, repository: ArtifactRepository | undefined): StoreLocation | undefined {
  const own = template.archiveLocation;
  const store = own && storeOf(own);
  if (own && store && isWhole(own, store)) return { [store]: own[store] };
  return repositoryLocation(repository);
}

/**
 * Argo's file name of an output artifact under its pod's key: `<name>.tgz` (tar, the default), `<name>.zip`,
 * or, unarchived, the base name of its path.
 */
export function storedFileName(artifact: Pick<Artifact, 'name' | 'path'> & { archive?: ArchiveStrategy }): string {
  if (artifact.archive?.none) return artifact.path?.split('/').filter(Boolean).pop() ?? artifact.name;
  return `${artifact.name}${artifact.archive?.zip ? '.zip' : '.tgz'}`;
}

/** Whether a stored key is an archive file, whose contents have no keys of their own. */
export function isArchiveKey(key: string): boolean {
  return key.endsWith('.tgz') || key.endsWith('.zip');
}

/**
 * Argo's Relocate: an artifact whose store location names only its key takes the rest (bucket, endpoint,
 * credentials) from the archive location, as Argo does whatever store that is. A whole location, or an
 * artifact naming no keyed store, is left as it is; a string is the error.
 */
export function completeKeyOnly<T extends StoreLocation>(artifact: T, archive: StoreLocation | undefined): T | string {
  const store = storeOf(artifact);
  if (!store || isWhole(artifact, store)) return artifact;
  const key = keyOf(artifact, store);
  if (key === undefined) return `${store} names no ${KEY_FIELDS[store]}, and is not a whole location either`;
  const base = archive && storeOf(archive);
  if (!archive || !base) return `${store} names only its ${KEY_FIELDS[store]}: a key-only artifact needs an artifact repository (artifactRepositoryRef, or the installation's)`;
  const completed: T = { ...artifact };
  delete completed[store];
  return { ...completed, ...withKey(archive, base, key) };
}

/**
 * A data template's source: a key-only one as any key-only artifact; one that names its store's other
 * fields but no key (Argo's data-transformations lists `s3: {bucket: my-bucket}`) is the whole bucket or
 * container, what it does not name taken from the archive location of the same store.
 */
export function completeListing<T extends StoreLocation>(source: T, archive: StoreLocation): T | string {
  const store = storeOf(source);
  if (!store || keyOf(source, store) !== undefined) return completeKeyOnly(source, archive);
  if (storeOf(archive) !== store) return `${store} names no ${KEY_FIELDS[store]}, and the artifact repository is no ${store} store to take the rest from`;
  return { ...source, [store]: { ...archive[store], [KEY_FIELDS[store]]: '', ...source[store] } };
}

/** The archive location with its key (the key format) substituted: Argo's variables and `pod.name`. */
export function substitutedArchive(archive: StoreLocation | undefined, substitute: (text: string) => string): StoreLocation | undefined {
  const store = archive && storeOf(archive);
  if (!archive || !store) return archive;
  return withKey(archive, store, substitute(keyOf(archive, store) ?? ''));
}

/**
 * Argo's archiveLogs: a repository that archives logs does so for every pod; otherwise the template's
 * `archiveLocation.archiveLogs` decides, else the workflow's `archiveLogs`.
 */
export function archivesLogs(template: Template, workflowArchiveLogs: unknown, repository: ArtifactRepository | undefined): boolean {
  if (repository?.archiveLogs === true) return true;
  const own = template.archiveLocation?.archiveLogs;
  return own !== undefined ? own === true : workflowArchiveLogs === true;
}

/** Argo's `main-logs` artifact: the main container's log, `main.log` under the pod's key (or its local folder). */
export function logsArtifactOf(archive: StoreLocation | undefined, workflow: { namespace: string; uid: string }, podName: string): Artifact {
  const base = archive && storeOf(archive);
  const location = archive && base ? withKey(archive, base, `${keyOf(archive, base) ?? ''}/main.log`) : { key: `${workflow.namespace}/${workflow.uid}/${podName}/main.log` };
  return { name: 'main-logs', archive: { none: {} }, ...location };
}

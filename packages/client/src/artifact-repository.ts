// Argo's ArtifactRepository as users write it (a key of an `artifact-repositories` ConfigMap, or the
// installation's default): YAML or JSON, checked with a schema whose refusals name the field. A store
// Regatta cannot run (hdfs, oss, plugin) is refused here, before any workflow is stored with it.
import { parse } from 'yaml';
import { z } from 'zod';
import type { ArtifactRepository, FieldPath } from '@regatta/spec';

/** A repository that cannot be used, with where it was read from (a ConfigMap's key, a variable); `path` is the workflow's field that chose it. */
export class ArtifactRepositoryError extends Error {
  override readonly name = 'ArtifactRepositoryError';

  constructor(
    message: string,
    readonly path?: FieldPath,
  ) {
    super(message);
  }
}

const text = z.string();
const selector = z.looseObject({ name: z.string().min(1), key: z.string().min(1), optional: z.boolean().optional() });

const s3 = z.looseObject({
  bucket: text.optional(),
  endpoint: text.optional(),
  region: text.optional(),
  insecure: z.boolean().optional(),
  keyFormat: text.optional(),
  keyPrefix: text.optional(),
  accessKeySecret: selector.optional(),
  secretKeySecret: selector.optional(),
  sessionTokenSecret: selector.optional(),
  caSecret: selector.optional(),
  roleARN: text.optional(),
  useSDKCreds: z.boolean().optional(),
});

const gcs = z.looseObject({ bucket: text.optional(), keyFormat: text.optional(), serviceAccountKeySecret: selector.optional() });

const azure = z.looseObject({
  endpoint: text.optional(),
  container: text.optional(),
  blobNameFormat: text.optional(),
  accountKeySecret: selector.optional(),
  useSDKCreds: z.boolean().optional(),
});

const artifactory = z.looseObject({ repoURL: text, keyFormat: text.optional(), usernameSecret: selector.optional(), passwordSecret: selector.optional() });

const repositorySchema = z.strictObject({
  archiveLogs: z.boolean().optional(),
  s3: s3.optional(),
  gcs: gcs.optional(),
  azure: azure.optional(),
  artifactory: artifactory.optional(),
  hdfs: z.unknown().optional(),
  oss: z.unknown().optional(),
  plugin: z.unknown().optional(),
});

/** Stores Argo has that Regatta runs no driver for. */
const NOT_RUN = ['hdfs', 'oss', 'plugin'] as const;

/** Parses a repository's text; `origin` says where it was read, for the error (e.g. `ConfigMap "x" key "y"`). */
export function parseArtifactRepository(source: string, origin: string): ArtifactRepository {
  let value: unknown;
  try {
    value = parse(source);
  } catch (error) {
    throw new ArtifactRepositoryError(`${origin}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  return checkArtifactRepository(value, origin);
}

/** Checks a repository already read as a value. */
function checkArtifactRepository(value: unknown, origin: string): ArtifactRepository {
  const parsed = repositorySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')} (an artifact repository has s3, gcs, azure, artifactory, archiveLogs)` : issue.message;
    throw new ArtifactRepositoryError(`${origin}: ${field ? `${field}: ` : ''}${message}`);
  }
  const repository = parsed.data as ArtifactRepository;
  for (const store of NOT_RUN) {
    if (repository[store] !== undefined) throw new ArtifactRepositoryError(`${origin}: ${store}: Regatta has no ${store} store; use s3, gcs, azure or artifactory`);
  }
  return repository;
}

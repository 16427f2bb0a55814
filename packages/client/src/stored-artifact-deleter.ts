// artifactGC's deletes outside a worker (the scheduler, `regatta delete`, the server's DELETE): the
// artifact stores' facade, with credentials read from the Secrets in Redis as the workers read them.
// The key that decrypts them (REGATTA_SECRETS_KEY) is asked for only when an artifact names a Secret, so
// a process without it still deletes what needs none. The stores' drivers load on the first delete:
// a command that deletes nothing does not pay for them.
import type { Redis } from 'ioredis';
import type { Artifact } from '@regatta/spec';
import type { ArtifactDeleter } from './artifact-garbage.js';

export interface StoredArtifactDeleterOptions {
  redis: Redis;
  prefix: string;
  /** The workers' local artifact folder (REGATTA_ARTIFACTS_DIR), where a bare `key` lies; without it such a delete fails, saying so. */
  localRoot?: string;
  /** Where REGATTA_SECRETS_KEY or REGATTA_SECRETS_KEY_FILE is read, on the first Secret read. */
  env: NodeJS.ProcessEnv;
}

export function storedArtifactDeleter(options: StoredArtifactDeleterOptions): ArtifactDeleter {
  let store: Promise<ArtifactDeleter> | undefined;
  return {
    delete: async (artifact: Artifact, namespace: string) => (await (store ??= openStore(options))).delete(artifact, namespace),
  };
}

async function openStore({ redis, prefix, localRoot, env }: StoredArtifactDeleterOptions): Promise<ArtifactDeleter> {
  const [{ ArtifactStore }, { secretSourceOf }, { SecretsKeySource, StoredConfigSources }] = await Promise.all([
    import('@regatta/artifacts'),
    import('@regatta/executors'),
    import('@regatta/store'),
  ]);
  return new ArtifactStore({ localRoot, secrets: secretSourceOf(new StoredConfigSources(redis, prefix, SecretsKeySource.fromEnv(env))) });
}

// The artifact stores as a process beside the workers uses them (the scheduler's and `delete`'s
// artifactGC, the server's downloads): credentials read from the Secrets in Redis as the workers read
// them. The key that decrypts them (REGATTA_SECRETS_KEY) is asked for only when an artifact names a
// Secret, so a process without it still reaches what needs none.
import type { Redis } from 'ioredis';
import { ArtifactStore } from '@regatta/artifacts';
import { secretSourceOf } from '@regatta/executors';
import { SecretsKeySource, StoredConfigSources } from '@regatta/store';

export interface StoredArtifactStoreOptions {
  redis: Redis;
  prefix: string;
  /** The workers' local artifact folder (REGATTA_ARTIFACTS_DIR), where a bare `key` lies; without it such an artifact is refused, saying so. */
  localRoot?: string;
  /** Where REGATTA_SECRETS_KEY or REGATTA_SECRETS_KEY_FILE is read, on the first Secret read. */
  env: NodeJS.ProcessEnv;
}

export function storedArtifactStore({ redis, prefix, localRoot, env }: StoredArtifactStoreOptions): ArtifactStore {
  return new ArtifactStore({ ...(localRoot !== undefined && { localRoot }), secrets: secretSourceOf(new StoredConfigSources(redis, prefix, SecretsKeySource.fromEnv(env))) });
}

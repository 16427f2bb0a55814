// What a node of a local or Redis-backed install is given from its namespace's ConfigMaps and Secrets:
// their values as bytes, read from the stores when the node starts (the executors' ConfigSources).
import type { Redis } from 'ioredis';
import { ResourceStore } from './resource-store.js';
import { SecretStore } from './secret-store.js';
import type { SecretsKeySource } from './secrets-key.js';

export class StoredConfigSources {
  private readonly resources: ResourceStore;
  private readonly secrets: SecretStore;

  constructor(redis: Redis, prefix: string, key: SecretsKeySource) {
    this.resources = new ResourceStore(redis, prefix);
    this.secrets = new SecretStore(redis, prefix, key);
  }

  async configMap(namespace: string, name: string): Promise<Record<string, Buffer> | undefined> {
    const configMap = await this.resources.get('ConfigMap', namespace, name);
    return configMap && Object.fromEntries(Object.entries(configMap.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'utf8')]));
  }

  secret(namespace: string, name: string): Promise<Record<string, Buffer> | undefined> {
    return this.secrets.data(namespace, name);
  }
}

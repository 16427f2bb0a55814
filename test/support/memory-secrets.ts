// Drivers' tests read credentials through a SecretSource: this one holds a few Secrets in memory, per
// namespace, and fails as a real one would (naming the Secret or key) for one that is missing.
import type { SecretKeySelector } from '@regatta/spec';
import type { SecretSource } from '@regatta/artifacts';

/** Secrets as `{ namespace: { secretName: { key: value } } }`. */
export type SecretsByNamespace = Record<string, Record<string, Record<string, string>>>;

export function memorySecrets(secrets: SecretsByNamespace): SecretSource {
  return {
    secretValue(namespace: string, selector: SecretKeySelector): Promise<string> {
      const secret = secrets[namespace]?.[selector.name];
      if (secret === undefined) return Promise.reject(new Error(`secret ${namespace}/${selector.name} not found`));
      const value = secret[selector.key];
      if (value === undefined) return Promise.reject(new Error(`secret ${namespace}/${selector.name} has no key ${selector.key}`));
      return Promise.resolve(value);
    },
  };
}

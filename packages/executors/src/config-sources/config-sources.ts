// Where a node's ConfigMaps and Secrets come from, and what it is told when one is missing. An
// installation gives one ConfigSources: the Redis stores (local mode) or the Kubernetes API. Env, envFrom,
// configMap and secret volumes, HTTP headers and artifact credentials all read through it, when the node
// starts, with the same errors (Kubernetes' CreateContainerConfigError wording, naming the object and key).
import type { SecretSource } from '@regatta/artifacts';
import type { SecretKeySelector } from '@regatta/spec';

/**
 * A ConfigMap's or Secret's values as bytes; undefined where the object does not exist. A source that
 * cannot be read rejects with an error naming the object and why, never a value.
 */
export interface ConfigSources {
  configMap(namespace: string, name: string): Promise<Record<string, Buffer> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, Buffer> | undefined>;
}

export type SourceKind = 'ConfigMap' | 'Secret';

/** Why a container cannot be given what it asks for (Kubernetes leaves it in CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  readonly code: 'CONTAINER_CONFIG' | 'SOURCE_NOT_FOUND' = 'CONTAINER_CONFIG';
}

/** A ConfigMap or Secret, or one of its keys, that is not there and not optional. */
export abstract class SourceNotFoundError extends ContainerConfigError {
  override readonly code = 'SOURCE_NOT_FOUND';
  constructor(
    readonly kind: SourceKind,
    readonly namespace: string,
    readonly objectName: string,
    /** The key asked for, where one was. */
    readonly key?: string,
    /** Whether the object exists (then the key does not). */
    objectFound = false,
  ) {
    super(
      objectFound
        ? `couldn't find key ${key} in ${kind} ${namespace}/${objectName}`
        : `${kind} ${namespace}/${objectName} not found${key === undefined ? '' : ` (wanted key ${key})`}`,
    );
  }
}

export class SecretNotFoundError extends SourceNotFoundError {
  constructor(namespace: string, name: string, key?: string, objectFound = false) {
    super('Secret', namespace, name, key, objectFound);
  }
}

export class ConfigMapNotFoundError extends SourceNotFoundError {
  constructor(namespace: string, name: string, key?: string, objectFound = false) {
    super('ConfigMap', namespace, name, key, objectFound);
  }
}

/** A key of a ConfigMap or Secret as Kubernetes' selectors name one (`name` may be left out, as the API allows). */
export interface KeyReference {
  name?: string;
  key: string;
  optional?: boolean;
}

/** The whole object, or a SourceNotFoundError; undefined where it is missing and `optional`. */
export async function readObject(sources: ConfigSources, kind: SourceKind, namespace: string, name: string, optional: boolean | undefined): Promise<Record<string, Buffer> | undefined> {
  const data = await (kind === 'Secret' ? sources.secret(namespace, name) : sources.configMap(namespace, name));
  if (data || optional) return data;
  throw notFound(kind, namespace, name);
}

/** One key's value; undefined where it (or its object) is missing and the reference `optional`. */
export async function readKey(sources: ConfigSources, kind: SourceKind, namespace: string, { name = '', key, optional }: KeyReference): Promise<Buffer | undefined> {
  const data = await (kind === 'Secret' ? sources.secret(namespace, name) : sources.configMap(namespace, name));
  const value = data?.[key];
  if (value !== undefined || optional) return value;
  throw notFound(kind, namespace, name, key, data !== undefined);
}

/** The error for a missing object, or (where `objectFound`) a missing key of it. */
export function notFound(kind: SourceKind, namespace: string, name: string, key?: string, objectFound = false): SourceNotFoundError {
  return kind === 'Secret' ? new SecretNotFoundError(namespace, name, key, objectFound) : new ConfigMapNotFoundError(namespace, name, key, objectFound);
}

/** The sources as the artifact drivers read credentials: a missing optional key is empty, as Kubernetes gives it. */
export function secretSourceOf(sources: ConfigSources): SecretSource {
  return {
    secretValue: async (namespace: string, selector: SecretKeySelector) => (await readKey(sources, 'Secret', namespace, selector))?.toString('utf8') ?? '',
  };
}

/** For a worker given no sources (tests, tools): every read is refused, naming the object. */
export const NO_CONFIG_SOURCES: ConfigSources = {
  configMap: (namespace, name) => Promise.reject(new ContainerConfigError(`cannot read ConfigMap ${namespace}/${name}: this worker has no ConfigMap store`)),
  secret: (namespace, name) => Promise.reject(new ContainerConfigError(`cannot read Secret ${namespace}/${name}: this worker has no Secret store`)),
};

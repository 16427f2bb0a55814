// What a pod's containers get from the API before they start, as a kubelet gives it: env values from
// fieldRef (the downward API), ConfigMaps and Secrets (env, envFrom), and the files of configMap and
// secret volumes. A source that is missing and not optional is a config error: the kubelet leaves the
// container waiting (CreateContainerConfigError) and the pod Pending.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { V1Container, V1EnvVar, V1KeyToPath, V1Pod } from '@kubernetes/client-node';

/** A ConfigMap's or Secret's data as bytes; undefined where the object does not exist. */
export interface PodSources {
  configMap(namespace: string, name: string): Promise<Record<string, Buffer> | undefined>;
  secret(namespace: string, name: string): Promise<Record<string, Buffer> | undefined>;
}

/** Why a container cannot be given what it asks for. */
export class ConfigError extends Error {}

/** The address every pod of the local kubelet has: the host's loopback (its processes share the host's network). */
export const POD_IP = '127.0.0.1';

/** The container's environment as plain values: envFrom first, then env over it, in order. */
export async function resolveEnv(pod: V1Pod, container: V1Container, sources: PodSources): Promise<{ name: string; value: string }[]> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    const data = await (from.configMapRef ? sources.configMap : sources.secret).call(sources, namespace, ref.name ?? '');
    if (!data) {
      if (ref.optional) continue;
      throw new ConfigError(`${kind} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(data)) env.set(`${from.prefix ?? ''}${key}`, value.toString('utf8'));
  }
  for (const variable of container.env ?? []) {
    const value = await envValue(pod, variable, sources, namespace);
    if (value !== undefined) env.set(variable.name, value);
  }
  return [...env].map(([name, value]) => ({ name, value }));
}

async function envValue(pod: V1Pod, { name, value, valueFrom }: V1EnvVar, sources: PodSources, namespace: string): Promise<string | undefined> {
  if (!valueFrom) return value ?? '';
  if (valueFrom.fieldRef) return fieldValue(pod, valueFrom.fieldRef.fieldPath, name);
  const ref = valueFrom.configMapKeyRef ?? valueFrom.secretKeyRef;
  if (!ref) throw new ConfigError(`env "${name}": only fieldRef, configMapKeyRef and secretKeyRef are supported by the local kubelet`);
  const [kind, read] = valueFrom.configMapKeyRef ? (['ConfigMap', sources.configMap] as const) : (['Secret', sources.secret] as const);
  const data = await read.call(sources, namespace, ref.name ?? '');
  const found = data?.[ref.key];
  if (found !== undefined) return found.toString('utf8');
  if (ref.optional) return undefined;
  if (!data) throw new ConfigError(`${kind.toLowerCase()} "${ref.name}" not found`);
  throw new ConfigError(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
}

/** The downward API's fields for env. */
function fieldValue(pod: V1Pod, path: string, variable: string): string {
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed) return pod.metadata?.[keyed[1] as 'labels' | 'annotations']?.[keyed[2]!] ?? '';
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata?.name,
    'metadata.namespace': pod.metadata?.namespace,
    'metadata.uid': pod.metadata?.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': POD_IP,
    'status.podIP': POD_IP,
    'status.podIPs': POD_IP,
  };
  if (!(path in fields)) throw new ConfigError(`env "${variable}": fieldRef "${path}" is not supported by the local kubelet`);
  return fields[path] ?? '';
}

/**
 * Writes a configMap or secret volume's files into `folder` (its keys, or its `items` at their paths,
 * with `defaultMode`/`mode`); false where the object is missing and the volume optional (an empty folder).
 */
export async function writeProjectedFiles(
  folder: string,
  kind: 'configmap' | 'secret',
  name: string,
  data: Record<string, Buffer> | undefined,
  items: V1KeyToPath[] | undefined,
  defaultMode: number | undefined,
  optional: boolean | undefined,
): Promise<void> {
  if (!data) {
    if (optional) return;
    throw new ConfigError(`${kind} "${name}" not found`);
  }
  const files: V1KeyToPath[] = items ?? Object.keys(data).map((key) => ({ key, path: key }));
  for (const { key, path, mode } of files) {
    const relative = posix.normalize(path);
    if (posix.isAbsolute(relative) || relative.startsWith('..')) throw new ConfigError(`${kind} "${name}": item path "${path}" must stay inside the volume`);
    const content = data[key];
    if (content === undefined) {
      if (optional) continue;
      throw new ConfigError(`couldn't find key ${key} in ${kind} "${name}"`);
    }
    const file = join(folder, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
    await chmod(file, mode ?? defaultMode ?? 0o644);
  }
}

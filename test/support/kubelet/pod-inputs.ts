// What a pod's containers get from the API before they start, as a kubelet gives it: env values from
// fieldRef (the downward API) here, and from ConfigMaps and Secrets (env, envFrom) and the files of
// configMap and secret volumes as the local executor gives them (@regatta/executors). A source that is
// missing and not optional is a config error: the kubelet leaves the container waiting
// (CreateContainerConfigError) and the pod Pending.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { ContainerConfigError, resolveEnv as resolveFromSources, type ConfigSources } from '@regatta/executors';

/** The address every pod of the local kubelet has: the host's loopback (its processes share the host's network). */
export const POD_IP = '127.0.0.1';

/** The container's environment as plain values: envFrom first, then env over it, in order. */
export function resolveEnv(pod: V1Pod, container: V1Container, sources: ConfigSources): Promise<{ name: string; value: string }[]> {
  return resolveFromSources(container, { namespace: pod.metadata?.namespace ?? 'default', sources, fieldValue: (path, variable) => fieldValue(pod, path, variable) });
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
  if (!(path in fields)) throw new ContainerConfigError(`env "${variable}": fieldRef "${path}" is not supported by the local kubelet`);
  return fields[path] ?? '';
}

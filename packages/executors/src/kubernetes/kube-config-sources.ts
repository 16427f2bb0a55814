// ConfigMaps and Secrets read through the Kubernetes API, for what the worker itself needs in Kubernetes
// mode (HTTP template headers, artifact credentials); pods get theirs from the kubelet, through their spec.
import { ApiException, type CoreV1Api } from '@kubernetes/client-node';
import type { ConfigSources } from '../config-sources/config-sources.js';
import type { KubeClient } from './kube-client.js';

export class KubeConfigSources implements ConfigSources {
  constructor(private readonly client: KubeClient) {}

  async configMap(namespace: string, name: string): Promise<Record<string, Buffer> | undefined> {
    const map = await this.read('ConfigMap', namespace, name, (core) => core.readNamespacedConfigMap({ name, namespace }));
    if (!map) return undefined;
    const data = Object.entries(map.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'utf8')] as const);
    const binary = Object.entries(map.binaryData ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const);
    return Object.fromEntries([...data, ...binary]);
  }

  async secret(namespace: string, name: string): Promise<Record<string, Buffer> | undefined> {
    const secret = await this.read('Secret', namespace, name, (core) => core.readNamespacedSecret({ name, namespace }));
    return secret && Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
  }

  /** The object, undefined on 404; another refusal names the object and the status, never the response body (it may echo values). */
  private async read<T>(kind: string, namespace: string, name: string, request: (core: CoreV1Api) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.client.call(request);
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      const status = error instanceof ApiException ? `the API answered ${error.code}` : (error as Error).message;
      throw new Error(`cannot read ${kind} ${namespace}/${name}: ${status}`);
    }
  }
}

// Reads the ConfigMap keys a node's inputs take their values from (the engine's `readConfigMaps`) when
// the node starts, so a ConfigMap applied after submission reaches the nodes that start later.
import type { ConfigMapKey, ConfigMapKeyValue } from '@regatta/engine';
import type { ConfigMap } from '@regatta/spec';
import type { ResourceStore } from '@regatta/store';

/** Each key's value in the namespace, or which of ConfigMap and key is missing; each ConfigMap is read once. */
export async function readConfigMapKeys(resources: ResourceStore, namespace: string, keys: ConfigMapKey[]): Promise<ConfigMapKeyValue[]> {
  const names = [...new Set(keys.map(({ name }) => name))];
  const read = await Promise.all(names.map(async (name) => [name, await resources.get('ConfigMap', namespace, name)] as const));
  const configMaps = new Map<string, ConfigMap | undefined>(read);
  return keys.map(({ name, key }): ConfigMapKeyValue => {
    const configMap = configMaps.get(name);
    if (!configMap) return { name, key, missing: 'configMap' };
    const data = configMap.data ?? {};
    return Object.hasOwn(data, key) ? { name, key, value: data[key] } : { name, key, missing: 'key' };
  });
}

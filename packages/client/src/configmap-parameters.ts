// Parameter values taken from ConfigMaps (`valueFrom.configMapKeyRef`), read from the workflow's
// namespace. Argo reads a workflow argument's ConfigMap when the workflow starts and a template input's
// when its node starts; Regatta reads both at submission, so that the stored workflow needs no
// ConfigMap to run and a missing one is refused before anything is stored.
import type { ConfigMap, FieldPath, Parameter } from '@regatta/spec';

export type Report = (path: FieldPath, message: string) => void;

export class ConfigMapValues {
  private readonly read = new Map<string, Promise<ConfigMap | undefined>>();

  constructor(
    readonly namespace: string,
    private readonly get: (namespace: string, name: string) => Promise<ConfigMap | undefined>,
  ) {}

  /** Sets `value` (and drops `valueFrom`) of each parameter that names a ConfigMap key. */
  async resolve(parameters: Parameter[] | undefined, path: FieldPath, report: Report): Promise<void> {
    for (const [i, parameter] of (parameters ?? []).entries()) {
      const ref = parameter.valueFrom?.configMapKeyRef;
      if (!ref) continue;
      const at = [...path, i, 'valueFrom', 'configMapKeyRef'];
      if (`${ref.name}${ref.key}`.includes('{{')) {
        report(at, `parameter "${parameter.name}": Regatta reads ConfigMaps at submission, so their name and key cannot hold {{…}}`);
        continue;
      }
      const configMap = await this.configMap(ref.name);
      const found = configMap?.data && Object.hasOwn(configMap.data, ref.key) ? configMap.data[ref.key] : undefined;
      // As Argo does, a default stands in for a ConfigMap or key that is not there.
      const value = found ?? parameter.valueFrom?.default ?? parameter.default;
      if (value === undefined) {
        const missing = configMap ? `key "${ref.key}" not found in ConfigMap "${ref.name}"` : `ConfigMap "${ref.name}" not found in namespace "${this.namespace}"`;
        report(at, `parameter "${parameter.name}": ${missing}`);
        continue;
      }
      parameter.value = value;
      delete parameter.valueFrom;
    }
  }

  private configMap(name: string): Promise<ConfigMap | undefined> {
    let found = this.read.get(name);
    if (!found) {
      found = this.get(this.namespace, name);
      this.read.set(name, found);
    }
    return found;
  }
}

// Parameter values taken from ConfigMaps (`valueFrom.configMapKeyRef`), read from the workflow's
// namespace. Argo reads a workflow argument's ConfigMap when the workflow starts: Regatta reads it at
// submission, so a missing one is refused before anything is stored. A template input's is read when
// its node starts (the engine's `readConfigMaps`), as in Argo: submission only checks its reference.
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
      const at = [...path, i, 'valueFrom', 'configMapKeyRef'];
      const ref = readableRef(parameter, at, report);
      if (!ref) continue;
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

/** Reports each ConfigMap reference Regatta cannot read; the others are read when their nodes start. */
export function checkConfigMapRefs(parameters: Parameter[] | undefined, path: FieldPath, report: Report): void {
  for (const [i, parameter] of (parameters ?? []).entries()) readableRef(parameter, [...path, i, 'valueFrom', 'configMapKeyRef'], report);
}

/** The parameter's ConfigMap key; none (reported) where its name or key holds {{…}}. */
function readableRef(parameter: Parameter, at: FieldPath, report: Report): { name: string; key: string } | undefined {
  const ref = parameter.valueFrom?.configMapKeyRef;
  if (!ref || !`${ref.name}${ref.key}`.includes('{{')) return ref;
  report(at, `parameter "${parameter.name}": Regatta does not substitute a ConfigMap's name or key, so they cannot hold {{…}}`);
  return undefined;
}

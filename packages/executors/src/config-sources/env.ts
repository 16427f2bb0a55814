// A container's environment as plain values, as a kubelet gives it: envFrom first (each key of the
// ConfigMap or Secret, after its prefix; keys that are no variable names skipped, as Kubernetes skips
// them), then env over it in order, each value written (with `$(VAR)` of the variables before it
// expanded), or read from a ConfigMap or Secret key, or from the pod's fields where the caller knows them.
// Shared by the local executor and the test kubelet.
import { ContainerConfigError, readKey, readObject, type ConfigSources, type KeyReference } from './config-sources.js';
import type { Redactor } from './redactor.js';

/** Kubernetes' rule for an env name (its IsEnvVarName). */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export interface EnvVarSpec {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyReference; configMapKeyRef?: KeyReference; fieldRef?: { fieldPath: string }; resourceFieldRef?: unknown };
}

export interface EnvFromSpec {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

export interface EnvContext {
  namespace: string;
  sources: ConfigSources;
  /** Told every value read from a Secret. */
  redactor?: Redactor;
  /** The downward API's value of `fieldRef.fieldPath`; without it a fieldRef is refused. */
  fieldValue?(path: string, variable: string): string;
}

export async function resolveEnv(container: { env?: EnvVarSpec[]; envFrom?: EnvFromSpec[] }, context: EnvContext): Promise<{ name: string; value: string }[]> {
  const env = new Map<string, string>();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const data = await readObject(context.sources, kind, context.namespace, ref.name ?? '', ref.optional);
    for (const [key, value] of Object.entries(data ?? {})) {
      const name = `${from.prefix ?? ''}${key}`;
      if (!ENV_NAME.test(name)) continue;
      const text = value.toString('utf8');
      if (kind === 'Secret') context.redactor?.add(text);
      env.set(name, text);
    }
  }
  for (const variable of container.env ?? []) {
    const value = await envValue(variable, context, env);
    if (value !== undefined) env.set(variable.name, value);
  }
  return [...env].map(([name, value]) => ({ name, value }));
}

/**
 * Kubernetes' expansion of `$(VAR)` in a command, an argument or an env value: a variable defined is
 * replaced by its value, one that is not stays as written, and `$$(VAR)` is the text `$(VAR)`. Unlike
 * Kubernetes, a `$$` before anything else stays `$$`: shell scripts written for the local executor
 * (`kill $$`) keep working.
 */
export function expandVariables(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(/\$(\$?)\(([^)]*)\)/g, (whole, escaped: string, name: string) => (escaped ? `$(${name})` : (env.get(name) ?? whole)));
}

async function envValue({ name, value, valueFrom }: EnvVarSpec, context: EnvContext, before: ReadonlyMap<string, string>): Promise<string | undefined> {
  if (!valueFrom) return expandVariables(value ?? '', before);
  const { secretKeyRef, configMapKeyRef, fieldRef } = valueFrom;
  const ref = secretKeyRef ?? configMapKeyRef;
  if (ref) {
    const read = await readKey(context.sources, secretKeyRef ? 'Secret' : 'ConfigMap', context.namespace, ref);
    const text = read?.toString('utf8');
    if (secretKeyRef && text !== undefined) context.redactor?.add(text);
    return text;
  }
  if (fieldRef && context.fieldValue) return context.fieldValue(fieldRef.fieldPath, name);
  throw new ContainerConfigError(`env "${name}": only secretKeyRef and configMapKeyRef${context.fieldValue ? ' and fieldRef' : ''} are supported here`);
}

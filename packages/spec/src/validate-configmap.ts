// Kubernetes' ConfigMap as `kubectl apply` takes it: apiVersion v1, a name, and `data` mapping keys
// to strings. Unlike Argo's string fields, Kubernetes refuses a YAML number or boolean here, so do we.
import { isRecord, type IssueList } from './issues.js';
import { validateHeader, validateMetadata } from './validate-schema.js';

/** Kubernetes' rule for ConfigMap and Secret keys. */
const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY = 253;

/** Whether `key` may name a value of a ConfigMap or Secret (Kubernetes' IsConfigMapKey). */
export function isDataKey(key: string): boolean {
  return key.length <= MAX_KEY && KEY.test(key) && key !== '.' && key !== '..';
}

/** Why `key` may not name a value, in the words every data key check uses. */
export const DATA_KEY_RULE = `must be letters, digits, "-", "_" or "." (at most ${MAX_KEY}), and not "." or ".."`;

export function validateConfigMap(value: unknown, issues: IssueList): void {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and data');
    return;
  }
  validateHeader(value, 'v1', 'ConfigMap', issues);
  validateMetadata(value.metadata, true, issues);
  // Parameters are text; Regatta has no use for binary values.
  if (value.binaryData !== undefined) issues.add('SCHEMA', ['binaryData'], 'binaryData is not supported: use data, a map of keys to strings');
  // `data:` with nothing after it is no data, as it is to Kubernetes.
  if (value.data === null) delete value.data;
  const { data } = value;
  if (data !== undefined) {
    if (!isRecord(data)) issues.add('SCHEMA', ['data'], 'must be a map of keys to strings');
    else {
      for (const [key, item] of Object.entries(data)) {
        if (!isDataKey(key)) issues.add('SCHEMA', ['data', key], `key "${key}" ${DATA_KEY_RULE}`);
        if (typeof item !== 'string') issues.add('SCHEMA', ['data', key], `must be a string; quote it: "${String(item)}"`);
      }
    }
  }
}

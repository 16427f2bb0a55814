// Kubernetes' Secret as `kubectl apply` takes it: apiVersion v1, a name, `data` of base64 strings and
// `stringData` of plain strings, keys by the ConfigMap rule, and a free-text `type`. A value is never
// quoted back in an issue: the file holds secrets.
import { isRecord, type IssueList } from './issues.js';
import { DATA_KEY_RULE, isDataKey } from './validate-configmap.js';
import { validateHeader, validateMetadata } from './validate-schema.js';

/** Standard base64, padded, as the API server decodes `data` (Go's base64.StdEncoding). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function validateSecret(value: unknown, issues: IssueList): void {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and data or stringData');
    return;
  }
  validateHeader(value, 'v1', 'Secret', issues);
  validateMetadata(value.metadata, true, issues);
  if (value.type !== undefined && typeof value.type !== 'string') issues.add('SCHEMA', ['type'], 'must be a string, such as Opaque');
  for (const field of ['data', 'stringData'] as const) {
    // `data:` with nothing after it is no data, as it is to Kubernetes.
    if (value[field] === null) delete value[field];
    const map = value[field];
    if (map === undefined) continue;
    if (!isRecord(map)) {
      issues.add('SCHEMA', [field], `must be a map of keys to ${field === 'data' ? 'base64 strings' : 'strings'}`);
      continue;
    }
    for (const [key, item] of Object.entries(map)) {
      if (!isDataKey(key)) issues.add('SCHEMA', [field, key], `key "${key}" ${DATA_KEY_RULE}`);
      if (typeof item !== 'string') issues.add('SCHEMA', [field, key], 'must be a string (quote it)');
      else if (field === 'data' && !BASE64.test(item.replace(/\s+/g, ''))) issues.add('SCHEMA', [field, key], 'must be base64 (use stringData for plain text)');
    }
  }
}

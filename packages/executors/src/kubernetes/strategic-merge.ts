// Kubernetes' strategic merge patch, for the lists a pod spec patch touches: Argo applies `podSpecPatch`
// with it, so `containers: [{name: main, resources: …}]` changes the main container instead of replacing
// every container. Maps merge as in a JSON merge patch (null deletes a field); lists whose elements have
// a merge key merge element by element (`$patch: delete` removes one, `$patch: replace` the whole list);
// every other list is replaced. No npm library implements it without Kubernetes' Go schemas.

import { isRecord } from '@regatta/spec';

type Json = unknown;

/** For each field that is a keyed list: the key, and the schema of its elements. */
export interface MergeSchema {
  [field: string]: { key: string; items?: MergeSchema };
}

// The patch keys of k8s.io/api/core/v1 types.go (`patchMergeKey`).
const CONTAINER: MergeSchema = {
  env: { key: 'name' },
  volumeMounts: { key: 'mountPath' },
  volumeDevices: { key: 'devicePath' },
  ports: { key: 'containerPort' },
};

export const POD_SPEC_SCHEMA: MergeSchema = {
  containers: { key: 'name', items: CONTAINER },
  initContainers: { key: 'name', items: CONTAINER },
  ephemeralContainers: { key: 'name', items: CONTAINER },
  volumes: { key: 'name' },
  imagePullSecrets: { key: 'name' },
  hostAliases: { key: 'ip' },
  resourceClaims: { key: 'name' },
  schedulingGates: { key: 'name' },
};

const DIRECTIVE = '$patch';

/** `patch` applied to `target`, which is left unchanged. */
export function strategicMerge(target: Json, patch: Json, schema: MergeSchema = {}): Json {
  if (!isRecord(patch)) return patch;
  if (patch[DIRECTIVE] === 'replace') return withoutDirectives(patch);
  if (patch[DIRECTIVE] === 'delete') return undefined;
  const merged: Record<string, Json> = isRecord(target) ? { ...target } : {};
  for (const [field, value] of Object.entries(patch)) {
    if (field.startsWith('$')) continue;
    if (value === null) delete merged[field];
    else if (Array.isArray(value)) merged[field] = schema[field] ? mergeList(merged[field], value, schema[field]) : value.map(withoutDirectives);
    else {
      const inner = strategicMerge(merged[field], value);
      if (inner === undefined) delete merged[field];
      else merged[field] = inner;
    }
  }
  return merged;
}

function mergeList(target: Json, patch: Json[], { key, items }: { key: string; items?: MergeSchema }): Json[] {
  if (patch.some((element) => isRecord(element) && element[DIRECTIVE] === 'replace')) {
    return patch.filter((element) => !(isRecord(element) && element[DIRECTIVE] === 'replace')).map(withoutDirectives);
  }
  const merged = Array.isArray(target) ? [...target] : [];
  for (const element of patch) {
    const at = isRecord(element) ? merged.findIndex((existing) => isRecord(existing) && existing[key] === element[key]) : -1;
    if (isRecord(element) && element[DIRECTIVE] === 'delete') {
      if (at >= 0) merged.splice(at, 1);
    } else if (at >= 0) {
      merged[at] = strategicMerge(merged[at], element, items);
    } else {
      merged.push(strategicMerge(undefined, element, items));
    }
  }
  return merged;
}

function withoutDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([field]) => !field.startsWith('$')).map(([field, inner]) => [field, withoutDirectives(inner)]));
}

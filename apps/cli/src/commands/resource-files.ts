// What `template create`, `cluster-template create` and `configmap apply` share: every document of
// every file is loaded and checked before anything is stored, placed in its namespace, and all are
// refused together if anything is wrong, so a bad file changes nothing.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { isNamespace, SpecError, type ObjectMeta } from '@regatta/spec';

interface Resource {
  kind: string;
  metadata: ObjectMeta;
}

/** commander's parser for `-n`: a namespace is a DNS label, and the store keys resources by it. */
export function namespaceFlag(value: string): string {
  if (!isNamespace(value)) throw new Error(`-n ${value}: a namespace is a lower-case DNS-1123 label of at most 63 characters`);
  return value;
}

/**
 * The resources of all `files`. A namespaced one goes to its own `metadata.namespace`, else to `-n`,
 * else to "default"; a document naming another namespace than `-n` is refused, as kubectl refuses it.
 */
export function readResourceFiles<R extends Resource>(files: string[], load: (text: string, file: string) => R[], flag: string | undefined, namespaced: boolean): R[] {
  const problems: string[] = [];
  const where = new Map<string, string>();
  const resources: R[] = [];
  for (const file of files) {
    let loaded: R[];
    try {
      loaded = load(readFileSync(file, 'utf8'), file);
    } catch (error) {
      problems.push(error instanceof SpecError ? error.message : `${file}: ${(error as Error).message}`);
      continue;
    }
    for (const resource of loaded) {
      const { metadata } = resource;
      const label = `${resource.kind} "${metadata.name}"`;
      if (!namespaced) delete metadata.namespace;
      else if (flag !== undefined && metadata.namespace !== undefined && metadata.namespace !== flag) {
        problems.push(`${file}: ${label} is in namespace "${metadata.namespace}", not in "${flag}" given by -n`);
        continue;
      } else metadata.namespace ??= flag ?? 'default';
      const key = `${metadata.namespace ?? ''}/${metadata.name}`;
      const earlier = where.get(key);
      if (earlier !== undefined) problems.push(`${file}: ${label} is given twice (also in ${earlier})`);
      where.set(key, file);
      resources.push(resource);
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return resources;
}

/** `-o json|yaml`: the resource (or list) and nothing else, for scripts. */
export function formatResources(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}

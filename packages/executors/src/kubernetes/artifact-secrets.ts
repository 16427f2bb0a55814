// The credentials of a pod's artifact stores, given as Argo gives them to its init and wait containers:
// each Secret that a location's selector names (`accessKeySecret`, `passwordSecret`, a header's
// `secretKeyRef`…) becomes a read-only secret volume with only the keys asked for, mounted at
// SECRETS_DIR/<secret>/ in `regatta-init` or `wait` (whichever moves that artifact), never in a user
// container. Kubernetes resolves them; the launcher reads the files (launcher/file-secrets.ts).
import { createHash } from 'node:crypto';
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { isRecord, type Artifact, type SecretKeySelector } from '@regatta/spec';

export const SECRETS_DIR = '/var/run/regatta/secrets';

/** The stores an artifact's location may name; the artifact's own `key` and `name` are no selector. */
const STORES = ['s3', 'azure', 'gcs', 'git', 'http', 'artifactory'] as const;

/** Every SecretKeySelector in the artifacts' locations, found by Argo's field names (`…Secret`, `secretKeyRef`). */
export function secretSelectorsOf(artifacts: Artifact[]): SecretKeySelector[] {
  const found: SecretKeySelector[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isRecord(value)) return;
    for (const [field, child] of Object.entries(value)) {
      if ((field.endsWith('Secret') || field === 'secretKeyRef') && isSelector(child)) found.push(child);
      else walk(child);
    }
  };
  for (const artifact of artifacts) for (const store of STORES) walk(artifact[store]);
  return found;
}

function isSelector(value: unknown): value is SecretKeySelector {
  return isRecord(value) && typeof value.name === 'string' && typeof value.key === 'string';
}

/** One secret volume per Secret, in name order (the pod is the same for the same job), with the keys asked for. */
export function secretVolumes(selectors: SecretKeySelector[]): V1Volume[] {
  const bySecret = new Map<string, { keys: Set<string>; optional: boolean }>();
  for (const { name, key, optional } of selectors) {
    const entry = bySecret.get(name) ?? { keys: new Set<string>(), optional: true };
    entry.keys.add(key);
    // Optional only where every selector of it is: then Kubernetes starts the pod without it (or a key).
    entry.optional &&= optional === true;
    bySecret.set(name, entry);
  }
  return [...bySecret.keys()].sort().map((name) => {
    const { keys, optional } = bySecret.get(name)!;
    return {
      name: secretVolumeName(name),
      secret: { secretName: name, items: [...keys].sort().map((key) => ({ key, path: key })), ...(optional && { optional: true }) },
    };
  });
}

/** The mounts of the Secrets `selectors` name, read-only at SECRETS_DIR/<secret>. */
export function secretMounts(selectors: SecretKeySelector[]): V1VolumeMount[] {
  const names = [...new Set(selectors.map(({ name }) => name))].sort();
  return names.map((name) => ({ name: secretVolumeName(name), mountPath: `${SECRETS_DIR}/${name}`, readOnly: true }));
}

/**
 * A volume name is a DNS-1123 label (63 characters, no dots) and a Secret's name a subdomain (253), so
 * the volume is named by Regatta's prefix and a hash of the Secret's name: stable for the same job.
 */
function secretVolumeName(secret: string): string {
  return `regatta-secret-${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

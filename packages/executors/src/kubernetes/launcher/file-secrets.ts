// The launcher's credentials: the files of the secret volumes the pod builder mounted into `regatta-init`
// and `wait` (artifact-secrets.ts), one per key at <dir>/<secret>/<key>. Kubernetes wrote them; a
// selector whose file is missing was not mounted (or its optional Secret is absent), and is refused
// in the words of the worker's own sources (SecretNotFoundError), naming the Secret and key.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretSource } from '@regatta/artifacts';
import { SecretNotFoundError } from '../../config-sources/config-sources.js';
import { SECRETS_DIR } from '../artifact-secrets.js';

/** A name that is one path segment: a Secret's name and a key never hold a slash, nor are they `.` or `..`. */
const SEGMENT = /^(?!\.\.?$)[^/]+$/;

/** Reads from `dir`: SECRETS_DIR in a pod, REGATTA_SECRETS_DIR where the launcher runs outside one (tests). */
export function fileSecretSource(dir: string = process.env.REGATTA_SECRETS_DIR ?? SECRETS_DIR): SecretSource {
  return {
    secretValue: async (namespace, { name, key, optional }) => {
      if (!SEGMENT.test(name) || !SEGMENT.test(key)) throw new SecretNotFoundError(namespace, name, key);
      try {
        return await readFile(join(dir, name, key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        if (optional) return '';
        throw new SecretNotFoundError(namespace, name, key, await isDirectory(join(dir, name)));
      }
    },
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

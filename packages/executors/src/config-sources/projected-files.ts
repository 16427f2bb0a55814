// The files of a configMap or secret volume, as a kubelet writes them: each key (or each of `items`, at
// its path) a file of its value, with `mode`, else `defaultMode`, else 0644. Written into a new folder of
// the pod's (or node's) own, which is then mounted read-only.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { ContainerConfigError, notFound, readObject, type ConfigSources, type SourceKind } from './config-sources.js';
import type { Redactor } from './redactor.js';

export interface ProjectedVolume {
  kind: SourceKind;
  /** The ConfigMap's or Secret's name. */
  name: string;
  items?: { key: string; path: string; mode?: number }[];
  defaultMode?: number;
  optional?: boolean;
}

const DEFAULT_MODE = 0o644;

/** Writes the volume's files into `folder`; an optional volume whose object is missing stays empty, and its missing items are left out. */
export async function writeProjectedFiles(folder: string, volume: ProjectedVolume, namespace: string, sources: ConfigSources, redactor?: Redactor): Promise<void> {
  const { kind, name, optional } = volume;
  const data = await readObject(sources, kind, namespace, name, optional);
  if (!data) return;
  const files: { key: string; path: string; mode?: number }[] = volume.items ?? Object.keys(data).map((key) => ({ key, path: key }));
  for (const { key, path, mode } of files) {
    const relative = posix.normalize(path);
    if (posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
      throw new ContainerConfigError(`${kind} ${namespace}/${name}: item path "${path}" must stay inside the volume`);
    }
    const content = data[key];
    if (content === undefined) {
      if (optional) continue;
      throw notFound(kind, namespace, name, key, true);
    }
    if (kind === 'Secret') redactor?.add(content.toString('utf8'));
    const file = join(folder, relative);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content, { flag: 'wx' });
    await chmod(file, mode ?? volume.defaultMode ?? DEFAULT_MODE);
  }
}

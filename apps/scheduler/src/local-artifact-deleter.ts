// artifactGC over Regatta's local artifact folder, until the artifact stores' facade (which deletes in
// every store) takes its place: an artifact at a local `key` is removed, file or folder; one of another
// store is refused with its store named, and that failure is recorded on its workflow.
import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { ArtifactDeleter } from '@regatta/client';
import type { Artifact } from '@regatta/spec';

const STORES = ['s3', 'gcs', 'azure', 'artifactory', 'http', 'git'] as const;

export class LocalArtifactDeleter implements ArtifactDeleter {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Removes the artifact's key, which must lie in the workflow's namespace; a key already gone is fine. */
  async delete(artifact: Artifact, namespace: string): Promise<void> {
    const store = STORES.find((name) => artifact[name] !== undefined);
    if (store) throw new Error(`${store} artifact "${artifact.name}" cannot be deleted here: this scheduler deletes only in the local artifact folder`);
    const key = artifact.key;
    if (key === undefined) throw new Error(`artifact "${artifact.name}" names no key in the local artifact folder`);
    const path = resolve(this.root, key);
    if (!path.startsWith(resolve(this.root, namespace) + sep)) throw new Error(`artifact "${artifact.name}": key ${key} lies outside namespace ${namespace} of the local artifact folder`);
    await rm(path, { recursive: true, force: true });
  }
}

// `regatta-init`'s second job, after copying the launcher: each input artifact with a path is placed in
// the pod's inputs folder under its name, from its store or from `raw.data`; the main containers mount it
// at its path from there (subPath), as Argo's init container does. A failure is the node's, worded as
// local mode words it, and ends `regatta-init` (so the pod) before any main container starts.
import { chmod, lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '@regatta/spec';

/** Writes an artifact held in a store to `destination` (a file or folder to be made); reads credentials in `namespace`. */
export interface ArtifactLoader {
  load(artifact: Artifact, destination: string, namespace: string): Promise<void>;
}

/** The store's word for an artifact that is not there (the local repository's and @regatta/artifacts' errors carry it). */
const NOT_FOUND = 'ARTIFACT_NOT_FOUND';

/** Places every input artifact in `inputsDir`; throws naming the first that could not be placed. */
export async function placeInputArtifacts(inputs: Artifact[], inputsDir: string, loader: ArtifactLoader, namespace: string): Promise<void> {
  await mkdir(inputsDir, { recursive: true });
  for (const artifact of inputs) {
    const failed = (reason: string) => new Error(`failed to load input artifact "${artifact.name}": ${reason}`);
    const { name, mode, raw } = artifact;
    // The name is the file's under the inputs folder, and the main containers' subPath.
    if (name === '' || name === '.' || name === '..' || name.includes('/')) throw failed('its name cannot name a file');
    if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) throw failed(`mode ${mode} is not permission bits (0 to 0777)`);
    const destination = join(inputsDir, name);
    if (raw !== undefined) {
      await writeFile(destination, raw.data);
    } else {
      try {
        await loader.load(artifact, destination, namespace);
      } catch (error) {
        if ((error as { code?: unknown }).code === NOT_FOUND && artifact.optional) continue;
        throw failed((error as Error).message);
      }
    }
    // chmod follows a link: one that came out of the store must not have the init container chmod its target.
    if (mode !== undefined && !(await lstat(destination)).isSymbolicLink()) await chmod(destination, mode);
  }
}

// The `wait` container's saving of output artifacts: the launcher of the output container copied each
// declared artifact's file or folder into `outputs/artifacts/<index>/<base name>`; each found is saved to
// its location and reported (as local mode reports it, so the engine records it alike). A missing one
// that is not optional is the node's error, in local mode's words; an optional one is skipped. Where the
// main container's log is archived (archiveLogs), the copy its launcher kept is saved as Argo's main.log.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact } from '@regatta/spec';

/** Stores the file or folder at `source` at the artifact's location; reads credentials in `namespace`. */
export interface ArtifactSaver {
  save(source: string, artifact: Artifact, namespace: string): Promise<void>;
}

export interface ArtifactsSaved {
  /** Every artifact saved, with its location, as the node's outputs carry it. */
  artifacts: Artifact[];
  /** The first non-optional artifact that could not be saved, for the node's message. */
  error?: string;
}

export async function saveOutputArtifacts(runDir: string, declared: Artifact[], saver: ArtifactSaver, namespace: string): Promise<ArtifactsSaved> {
  const saved: ArtifactsSaved = { artifacts: [] };
  for (const [index, artifact] of declared.entries()) {
    const { optional, ...reported } = artifact;
    const folder = join(runDir, 'outputs', 'artifacts', String(index));
    const [entry] = await readdir(folder).catch(() => [] as string[]);
    if (entry === undefined) {
      if (!optional) saved.error ??= `failed to save outputs: path ${artifact.path ?? ''} does not exist`;
      continue;
    }
    try {
      await saver.save(join(folder, entry), artifact, namespace);
    } catch (error) {
      saved.error ??= `failed to save outputs: artifact "${artifact.name}": ${(error as Error).message}`;
      continue;
    }
    saved.artifacts.push(reported);
  }
  return saved;
}

/** Saves the log the launcher of `container` kept (`ctr/<container>/main.log`) to the logs artifact's location. */
export async function saveLog(runDir: string, container: string, artifact: Artifact, saver: ArtifactSaver, namespace: string): Promise<ArtifactsSaved> {
  try {
    await saver.save(join(runDir, 'ctr', container, 'main.log'), artifact, namespace);
    return { artifacts: [artifact] };
  } catch (error) {
    return { artifacts: [], error: `failed to save logs: artifact "${artifact.name}": ${(error as Error).message}` };
  }
}

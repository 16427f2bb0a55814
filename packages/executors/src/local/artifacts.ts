// The local executor's artifact hooks, Argo's init and wait containers in small: input artifacts are
// placed in the node's /tmp before the main container starts (from the repository, or `raw.data` as a
// file), and output artifacts are copied from it into the repository once the main container exits.
// Inputs go only into the container's own folders: the local executor does not write elsewhere on the host.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Artifact } from '@regatta/spec';
import { ArtifactNotFoundError, type LocalArtifactRepository } from '../artifacts/local-repository.js';
import type { ContainerFs } from './container-fs.js';

export interface ArtifactsSaved {
  /** Every artifact saved, as `{ name, path, key, archive? }`. */
  artifacts: Artifact[];
  /** The first non-optional artifact that could not be saved, for the node's message. */
  error?: string;
}

/** Places every input artifact; returns why one that is not optional could not be. */
export async function placeInputArtifacts(
  inputs: Artifact[] | undefined,
  repository: LocalArtifactRepository | undefined,
  fs: ContainerFs,
  cwd: string,
): Promise<string | undefined> {
  for (const artifact of inputs ?? []) {
    const failed = (reason: string) => `failed to load input artifact "${artifact.name}": ${reason}`;
    const path = artifact.path ?? '';
    const host = fs.ownPath(path, cwd);
    if (host === undefined) return failed(`path "${path}" is outside the node's /tmp, and nodes here have no container root of their own to put it in`);
    if (artifact.raw !== undefined) {
      await mkdir(dirname(host), { recursive: true });
      await writeFile(host, artifact.raw.data);
    } else if (artifact.key !== undefined) {
      if (!repository) return failed('this worker has no artifact repository');
      try {
        await repository.load(artifact.key, host, artifact.archive?.none !== undefined);
      } catch (error) {
        if (error instanceof ArtifactNotFoundError && artifact.optional) continue;
        return failed((error as Error).message);
      }
    }
    if (artifact.mode !== undefined) await chmod(host, artifact.mode);
  }
  return undefined;
}

/** Saves every output artifact that exists; a missing one that is not optional is the error, as Argo words it. */
export async function saveOutputArtifacts(
  outputs: Artifact[] | undefined,
  repository: LocalArtifactRepository | undefined,
  hostPath: (path: string) => string,
): Promise<ArtifactsSaved> {
  const saved: ArtifactsSaved = { artifacts: [] };
  for (const { name, path = '', key, archive, optional } of outputs ?? []) {
    const source = hostPath(path);
    const exists = await stat(source).then(
      () => true,
      () => false,
    );
    if (!exists) {
      if (!optional) saved.error ??= `failed to save outputs: path ${path} does not exist`;
      continue;
    }
    if (!repository || key === undefined) {
      saved.error ??= `failed to save outputs: artifact "${name}" has nowhere to go (this worker has no artifact repository)`;
      continue;
    }
    try {
      await repository.save(key, source);
    } catch (error) {
      saved.error ??= `failed to save outputs: artifact "${name}": ${(error as Error).message}`;
      continue;
    }
    saved.artifacts.push({ name, path, key, ...(archive !== undefined && { archive }) });
  }
  return saved;
}

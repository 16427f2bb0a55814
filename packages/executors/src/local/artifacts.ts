// The local executor's artifact hooks, Argo's init and wait containers in small: input artifacts are
// placed in the node's /tmp before the main container starts (from the repository, or `raw.data` as a
// file), and output artifacts are copied from it into the repository once the main container exits.
// Inputs go only into the container's own folders: the local executor does not write elsewhere on the host.
import { chmod, lstat, writeFile } from 'node:fs/promises';
import type { Artifact } from '@regatta/spec';
import { ArtifactNotFoundError, type LocalArtifactRepository } from '../artifacts/local-repository.js';
import type { ContainerFs } from './container-fs.js';
import { beneathFailure, WRITE_NO_FOLLOW } from './resolve-beneath.js';

export interface ArtifactsSaved {
  /** Every artifact saved, as `{ name, path, key, archive? }`. */
  artifacts: Artifact[];
  /** The first non-optional artifact that could not be saved, for the node's message. */
  error?: string;
}

/**
 * Places every input artifact; returns why one that is not optional could not be. Only keys of the
 * workflow's `namespace` are read (the engine scopes keys so; a literal `from` could name another's).
 */
export async function placeInputArtifacts(
  inputs: Artifact[] | undefined,
  repository: LocalArtifactRepository | undefined,
  fs: ContainerFs,
  cwd: string,
  namespace: string,
): Promise<string | undefined> {
  for (const artifact of inputs ?? []) {
    const failed = (reason: string) => `failed to load input artifact "${artifact.name}": ${reason}`;
    const path = artifact.path ?? '';
    const { mode, key } = artifact;
    if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) return failed(`mode ${mode} is not permission bits (0 to 0777)`);
    if (key !== undefined && !key.startsWith(`${namespace}/`)) return failed(`key ${key} is not in namespace "${namespace}"'s artifacts`);
    // A folder of the container's may hold a link a node made (a shared claim): the worker must not write through it.
    let host: string | undefined;
    try {
      host = await fs.ownFile(path, cwd);
    } catch (error) {
      return failed(beneathFailure(error).error);
    }
    if (host === undefined) return failed(`path "${path}" is outside the node's /tmp, and nodes here have no container root of their own to put it in`);
    if (artifact.raw !== undefined) {
      await writeFile(host, artifact.raw.data, { flag: WRITE_NO_FOLLOW });
    } else if (key !== undefined) {
      if (!repository) return failed('this worker has no artifact repository');
      try {
        await repository.load(key, host, artifact.archive?.none !== undefined);
      } catch (error) {
        if (error instanceof ArtifactNotFoundError && artifact.optional) continue;
        return failed((error as Error).message);
      }
    }
    // chmod follows a link: one that came out of the repository must not have the worker chmod its target.
    if (mode !== undefined && !(await lstat(host)).isSymbolicLink()) await chmod(host, mode);
  }
  return undefined;
}

/** Saves every output artifact that exists; a missing one that is not optional is the error, as Argo words it. */
export async function saveOutputArtifacts(
  outputs: Artifact[] | undefined,
  repository: LocalArtifactRepository | undefined,
  hostPath: (path: string) => Promise<string>,
): Promise<ArtifactsSaved> {
  const saved: ArtifactsSaved = { artifacts: [] };
  for (const { name, path = '', key, archive, optional } of outputs ?? []) {
    let source: string;
    try {
      source = await hostPath(path);
    } catch (error) {
      saved.error ??= `failed to save outputs: artifact "${name}": ${beneathFailure(error).error}`;
      continue;
    }
    const exists = await lstat(source).then(
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

// The local executor's artifact hooks, Argo's init and wait containers in small: input artifacts are
// placed in the node's /tmp before the main container starts (from their store, or `raw.data` as a
// file), and output artifacts are saved from it to their store once the main container exits.
// Inputs go only into the container's own folders: the local executor does not write elsewhere on the host.
import { chmod, lstat, writeFile } from 'node:fs/promises';
import type { Artifact } from '@regatta/spec';
import { ArtifactNotFoundError, beneathFailure, WRITE_NO_FOLLOW, type ArtifactStore } from '@regatta/artifacts';
import type { ContainerFs } from './container-fs.js';

export interface ArtifactsSaved {
  /** Every artifact saved, as `{ name, path, archive? }` and its location (`key`, `s3`, …). */
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
  store: ArtifactStore,
  fs: ContainerFs,
  cwd: string,
  namespace: string,
): Promise<string | undefined> {
  for (const artifact of inputs ?? []) {
    const failed = (reason: string) => `failed to load input artifact "${artifact.name}": ${reason}`;
    const path = artifact.path ?? '';
    const { mode, key } = artifact;
    if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) return failed(`mode ${mode} is not permission bits (0 to 0777)`);
    if (key !== undefined && store.isLocal(artifact) && !key.startsWith(`${namespace}/`)) return failed(`key ${key} is not in namespace "${namespace}"'s artifacts`);
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
    } else if (store.locates(artifact)) {
      try {
        await store.load(artifact, host, namespace);
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
  store: ArtifactStore,
  hostPath: (path: string) => Promise<string>,
  namespace: string,
): Promise<ArtifactsSaved> {
  const saved: ArtifactsSaved = { artifacts: [] };
  for (const artifact of outputs ?? []) {
    const { name, path = '', archive, optional } = artifact;
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
    if (!store.locates(artifact)) {
      saved.error ??= `failed to save outputs: artifact "${name}" has nowhere to go (no key or store location)`;
      continue;
    }
    try {
      await store.save(source, artifact, namespace);
    } catch (error) {
      saved.error ??= `failed to save outputs: artifact "${name}": ${(error as Error).message}`;
      continue;
    }
    saved.artifacts.push({ name, path, ...store.locationOf(artifact), ...(archive !== undefined && { archive }) });
  }
  return saved;
}


// Where a node's volumes live on this host, and the binds that show them to one container at its mount
// paths: an emptyDir in the node's folder (shared by its containers, gone with it); a configMap or
// secret volume as files of its keys written there when the node starts, mounted read-only; a claim in the
// volumes folder shared by the host's workers, `workflows/<uid>/<name>` for the workflow's own claims and
// `claims/<namespace>/<name>` for an existing one (made on first use, as a provisioner would); a hostPath as
// is, where the operator allows its path. What lies inside a volume was written by nodes: a subPath (and a
// hostPath below its allowed folder) is walked without following symbolic links.
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isValidName, type NodeVolume, type VolumeMount } from '@regatta/spec';
import type { ConfigSources } from '../config-sources/config-sources.js';
import { writeProjectedFiles } from '../config-sources/projected-files.js';
import type { Redactor } from '../config-sources/redactor.js';
import type { NodeDir } from './node-dir.js';
import { beneathFailure, resolveBeneath } from '@regatta/artifacts';
import type { Bind, Isolation } from './sandbox.js';

export interface VolumeContext {
  volumes: NodeVolume[] | undefined;
  dir: NodeDir;
  /** The host's folder for claims; undefined where the worker has none. */
  volumesDir: string | undefined;
  workflow: { uid: string; namespace: string };
  isolation: Isolation;
  /** The folders under which hostPath volumes may lie (the operator's REGATTA_HOSTPATH_ALLOW); none: hostPath is off. */
  hostPathAllow: string[];
}

/**
 * The operator's list of folders for hostPath volumes: absolute paths separated by ":" (as PATH), read
 * once at start; unset or empty, hostPath volumes are refused.
 */
export function parseHostPathAllow(value: string | undefined): string[] {
  const paths = (value ?? '').split(':').filter((path) => path !== '');
  for (const path of paths) if (!posix.isAbsolute(path)) throw new Error(`REGATTA_HOSTPATH_ALLOW: "${path}" is not an absolute path`);
  return paths.map((path) => posix.normalize(path).replace(/(.)\/$/, '$1'));
}

/** The claims workflows made for themselves, in the volumes folder: deleted when the workflow ends (by the scheduler). */
export class LocalVolumeClaims {
  constructor(private readonly volumesDir: string) {}

  async deleteWorkflowClaims(uid: string): Promise<void> {
    if (SAFE_NAME.test(uid)) await rm(workflowClaimsFolder(this.volumesDir, uid), { recursive: true, force: true });
  }
}

function workflowClaimsFolder(volumesDir: string, uid: string): string {
  return join(volumesDir, 'workflows', uid);
}

/** A plain name, so that it cannot step out of the folder it names a part of. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The node's volumes with each configMap and secret volume written as files in a folder of the node's
 * own (read when the node starts, as a kubelet does) and become an emptyDir mounted read-only; throws a
 * ContainerConfigError naming a missing object or key.
 */
export async function projectVolumes(volumes: NodeVolume[] | undefined, dir: NodeDir, namespace: string, sources: ConfigSources, redactor: Redactor): Promise<NodeVolume[] | undefined> {
  if (!volumes?.some((volume) => 'configMap' in volume || 'secret' in volume)) return volumes;
  const projected: NodeVolume[] = [];
  for (const volume of volumes) {
    if (!('configMap' in volume || 'secret' in volume)) {
      projected.push(volume);
      continue;
    }
    if (!isValidName('volume', volume.name)) throw new Error(`volume "${volume.name}": the name is not a DNS-1123 label`);
    const { items, defaultMode, optional } = 'configMap' in volume ? volume.configMap : volume.secret;
    const source = 'configMap' in volume ? { kind: 'ConfigMap' as const, name: volume.configMap.name } : { kind: 'Secret' as const, name: volume.secret.secretName };
    await writeProjectedFiles(await dir.emptyDir(volume.name), { ...source, items, defaultMode, optional }, namespace, sources, redactor);
    projected.push({ name: volume.name, emptyDir: true, readOnly: true });
  }
  return projected;
}

/** The binds of one container's `volumeMounts`, or why one cannot be made here. */
export async function volumeBinds(mounts: VolumeMount[] | undefined, context: VolumeContext): Promise<Bind[] | { error: string }> {
  const binds: Bind[] = [];
  for (const mount of mounts ?? []) {
    const failed = (reason: string) => ({ error: `volume "${mount.name}" at ${mount.mountPath}: ${reason}` });
    const target = posix.normalize(mount.mountPath);
    if (!posix.isAbsolute(target) || target === '/') return failed('the mount path must be an absolute path below /');
    if (context.isolation === 'process-group') return failed('volumes need the sandbox (mount namespaces), which this host refused');
    if (context.isolation === 'namespaces' && !target.startsWith('/tmp/')) {
      return failed('without a container root (overlayfs refused here), only paths under /tmp can be mounted');
    }
    // A name substituted at run time was not checked at submission.
    if (!isValidName('volume', mount.name)) return failed('the name is not a DNS-1123 label');
    const volume = context.volumes?.find(({ name }) => name === mount.name);
    if (!volume) return failed('the volume is not defined');
    const folder = await volumeFolder(volume, context).catch(beneathFailure);
    if (typeof folder !== 'string') return failed(folder.error);
    const subPath = posix.normalize(mount.subPath ?? '.');
    if (posix.isAbsolute(subPath) || subPath.startsWith('..')) return failed(`subPath "${mount.subPath}" must stay inside the volume`);
    const source = await resolveBeneath(folder, subPath, { create: 'all' }).catch(beneathFailure);
    if (typeof source !== 'string') return failed(`subPath "${mount.subPath}": ${source.error}`);
    binds.push({ source, target, readOnly: mount.readOnly === true || volume.readOnly === true });
  }
  return binds;
}

async function volumeFolder(volume: NodeVolume, { dir, volumesDir, workflow, hostPathAllow }: VolumeContext): Promise<string | { error: string }> {
  if ('emptyDir' in volume) return dir.emptyDir(volume.name);
  if ('hostPath' in volume) {
    const { path, type = '' } = volume.hostPath;
    const normal = posix.normalize(path);
    const allowed = posix.isAbsolute(normal) && hostPathAllow.find((folder) => normal === folder || normal.startsWith(folder === '/' ? '/' : `${folder}/`));
    if (!allowed) {
      if (hostPathAllow.length === 0) return { error: `hostPath "${path}" is refused: hostPath volumes are off on this worker (the operator allows folders for them with REGATTA_HOSTPATH_ALLOW)` };
      return { error: `hostPath "${path}" is refused: this worker allows hostPath volumes under ${hostPathAllow.join(', ')} only (REGATTA_HOSTPATH_ALLOW)` };
    }
    const folder = await resolveBeneath(allowed, posix.relative(allowed, normal), type === 'DirectoryOrCreate' ? { create: 'all' } : {});
    const isDirectory = await lstat(folder).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    return isDirectory ? folder : { error: `hostPath "${path}" is not a directory on this host` };
  }
  if ('configMap' in volume || 'secret' in volume) return { error: `volume "${volume.name}": its files were not written (projectVolumes)` };
  if (!volumesDir) return { error: 'this worker has no volumes folder for claims' };
  const { name, ofWorkflow } = volume.claim;
  const owner = ofWorkflow ? workflow.uid : workflow.namespace;
  if (![owner, name].every((part) => SAFE_NAME.test(part))) return { error: `claim "${name}" of "${owner}" is not a plain name` };
  const folder = join(ofWorkflow ? workflowClaimsFolder(volumesDir, owner) : join(volumesDir, 'claims', owner), name);
  await mkdir(folder, { recursive: true });
  return folder;
}

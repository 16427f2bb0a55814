// Where a node's volumes live on this host, and the binds that show them to one container at its mount
// paths: an emptyDir in the node's folder (shared by its containers, gone with it); a claim in the
// volumes folder shared by the host's workers, `workflows/<uid>/<name>` for the workflow's own claims and
// `claims/<namespace>/<name>` for an existing one (made on first use, as a provisioner would); a hostPath as is.
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { NodeVolume, VolumeMount } from '@regatta/spec';
import type { NodeDir } from './node-dir.js';
import type { Bind, Isolation } from './sandbox.js';

export interface VolumeContext {
  volumes: NodeVolume[] | undefined;
  dir: NodeDir;
  /** The host's folder for claims; undefined where the worker has none. */
  volumesDir: string | undefined;
  workflow: { uid: string; namespace: string };
  isolation: Isolation;
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
    const volume = context.volumes?.find(({ name }) => name === mount.name);
    if (!volume) return failed('the volume is not defined');
    const folder = await volumeFolder(volume, context);
    if (typeof folder !== 'string') return failed(folder.error);
    const subPath = posix.normalize(mount.subPath ?? '.');
    if (posix.isAbsolute(subPath) || subPath.startsWith('..')) return failed(`subPath "${mount.subPath}" must stay inside the volume`);
    const source = join(folder, subPath);
    await mkdir(source, { recursive: true });
    binds.push({ source, target, readOnly: mount.readOnly === true || volume.readOnly === true });
  }
  return binds;
}

async function volumeFolder(volume: NodeVolume, { dir, volumesDir, workflow }: VolumeContext): Promise<string | { error: string }> {
  if ('emptyDir' in volume) return dir.emptyDir(volume.name);
  if ('hostPath' in volume) {
    const { path, type = '' } = volume.hostPath;
    if (type === 'DirectoryOrCreate') await mkdir(path, { recursive: true });
    const isDirectory = await stat(path).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
    return isDirectory ? path : { error: `hostPath "${path}" is not a directory on this host` };
  }
  if (!volumesDir) return { error: 'this worker has no volumes folder for claims' };
  const { name, ofWorkflow } = volume.claim;
  const owner = ofWorkflow ? workflow.uid : workflow.namespace;
  if (![owner, name].every((part) => SAFE_NAME.test(part))) return { error: `claim "${name}" of "${owner}" is not a plain name` };
  const folder = join(ofWorkflow ? workflowClaimsFolder(volumesDir, owner) : join(volumesDir, 'claims', owner), name);
  await mkdir(folder, { recursive: true });
  return folder;
}

// One container of a node made ready to start: its volumes bound, its filesystem made, the image's tools
// and the script placed, its command checked and its launch built. Shared by the local executor and the
// test kubelet (test/support/local-kubelet.ts), which runs a pod's containers the same way.
import { isValidName, type Container } from '@regatta/spec';
import type { ContainerFs } from './container-fs.js';
import { installImageTools } from './image-tools.js';
import type { NodeDir } from './node-dir.js';
import { prepareContainer } from './prepare-container.js';
import { beneathFailure } from '@regatta/artifacts';
import type { ContainerLaunch } from './run-containers.js';
import type { Launcher } from './sandbox.js';
import { volumeBinds, type VolumeContext } from './volumes.js';

/** A container ready to start: its filesystem and working directory (for its artifacts and outputs) and its launch. */
export interface PreparedLaunch {
  fs: ContainerFs;
  cwd: string;
  launch: ContainerLaunch;
}

/** `hostEnv` is what every container inherits from the host (PATH at least); `script` a script template's source. */
export async function prepareLaunch(
  name: string,
  container: Container,
  script: string | undefined,
  dir: NodeDir,
  volumes: VolumeContext,
  launcher: Launcher,
  hostEnv: Record<string, string>,
): Promise<PreparedLaunch | { error: string }> {
  // A name substituted at run time was not checked at submission; it names the container's folder.
  if (!isValidName('container', name)) return { error: `container name "${name}" is not a DNS-1123 label` };
  const binds = await volumeBinds(container.volumeMounts, volumes);
  if ('error' in binds) return binds;
  const fs = await dir.containerFs(name, binds);
  let scriptPath: string | undefined;
  try {
    await installImageTools(fs, container.image, hostEnv.PATH!);
    if (script !== undefined) scriptPath = await dir.writeScript(fs, script);
  } catch (error) {
    // A link a node made where the image's tools or the script go (a volume mounted there).
    return beneathFailure(error);
  }
  const prepared = await prepareContainer(container, scriptPath, fs, hostEnv);
  if ('error' in prepared) return prepared;
  return { fs, cwd: prepared.cwd, launch: { launch: await launcher.launch(prepared.argv, prepared.env, fs.mounts, prepared.cwd) } };
}

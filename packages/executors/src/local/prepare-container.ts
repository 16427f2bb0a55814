// What one container of a node (its main container or a sidecar) runs on this host, checked before
// anything of the node is spawned: the argv by Docker's rule, the template's env over a minimal host env,
// the working directory; or, for a container that cannot run here, why.
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Container } from '@regatta/spec';
import { ENV_NAME } from '../config-sources/env.js';
import { resolveCommand } from './command-resolve.js';
import { containerArgv } from './container-argv.js';
import type { ContainerFs } from './container-fs.js';
import { beneathFailure, resolveBeneath } from '@regatta/artifacts';

export interface PreparedContainer {
  argv: string[];
  env: Record<string, string>;
  /** The working directory as the node sees it. */
  cwd: string;
}

/** `hostEnv` is what every node inherits from the worker; `scriptPath` a script template's file, as the node sees it. */
export async function prepareContainer(
  container: Container,
  scriptPath: string | undefined,
  fs: ContainerFs,
  hostEnv: Record<string, string>,
): Promise<PreparedContainer | { error: string }> {
  const env: Record<string, string> = { ...hostEnv, TMPDIR: fs.tmpView };
  for (const { name, value, valueFrom } of container.env ?? []) {
    // Resolved before (config-sources/env.ts): a valueFrom here was not.
    if (valueFrom !== undefined) return { error: `env "${name}": valueFrom was not resolved` };
    if (!ENV_NAME.test(name)) return { error: `env "${name}": not a valid variable name (Kubernetes allows letters, digits, "_", "-" and ".", not first a digit)` };
    if (value?.includes('\0')) return { error: `env "${name}": the value holds a NUL character, which no environment can carry` };
    env[name] = value ?? '';
  }
  // A relative workingDir is taken from the default one.
  const cwd = posix.resolve(fs.defaultCwd, container.workingDir ?? '.');
  const hostPath = (path: string) => fs.hostPath(path, cwd);
  const isCommand = (command: string) => resolveCommand(command, env.PATH ?? '', hostPath) !== undefined;
  const resolved = containerArgv(container, scriptPath, isCommand);
  if ('error' in resolved) return resolved;
  const { argv } = resolved;
  if (!isCommand(argv[0]!)) return { error: `command "${argv[0]}" not found on this host (it stands for image "${container.image ?? ''}")` };
  const noWorkingDir = await prepareWorkingDir(fs, cwd);
  if (noWorkingDir) return { error: noWorkingDir };
  return { argv, env, cwd };
}

/**
 * A container runtime creates a missing workingDir; here that is done only in the container's own
 * folders, never through a link a node made there (a claim's). Returns why it cannot be had.
 */
async function prepareWorkingDir(fs: ContainerFs, cwd: string): Promise<string | undefined> {
  const isDirectory = await stat(fs.hostPath(cwd, '/')).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (isDirectory) return undefined;
  const own = fs.ownLocation(cwd);
  if (own === undefined) return `workingDir "${cwd}" does not exist on this host`;
  try {
    await resolveBeneath(own.base, own.relative, { create: 'all' });
  } catch (error) {
    return `workingDir "${cwd}": ${beneathFailure(error).error}`;
  }
  return undefined;
}

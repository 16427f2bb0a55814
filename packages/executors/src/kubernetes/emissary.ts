// Regatta's emissary, modelled on Argo's: the pod's init container `regatta-init` copies Regatta's
// launcher into the shared emptyDir /var/run/regatta; every user container then runs
// `/var/run/regatta/launcher -- <command> <args>`, so any image works, with a shell or without; the
// `wait` sidecar reads what the launchers leave there and reports the node's outputs. This module only
// shapes those containers; the contract between them is docs/kubernetes-pods.md's.
import type { V1Container, V1EnvVar, V1ResourceRequirements, V1SecurityContext, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { Artifact, NodeJob } from '@regatta/spec';
import { secretMounts, secretSelectorsOf } from './artifact-secrets.js';
import { PodBuildError } from './pod-build-error.js';

export const RUN_VOLUME = 'regatta-run';
export const RUN_DIR = '/var/run/regatta';
export const LAUNCHER = `${RUN_DIR}/launcher`;
/** Where the launcher writes a script template's source before it runs the container's command. */
export const SCRIPT_PATH = `${RUN_DIR}/script`;
/** Where `regatta-init` places input artifacts; each is mounted at its path in the main containers. */
export const INPUTS_VOLUME = 'regatta-inputs';
export const INPUTS_DIR = `${RUN_DIR}/inputs`;
/** The local artifact store's hostPath volume, in `regatta-init` and `wait` of pods that move artifacts. */
export const ARTIFACTS_VOLUME = 'regatta-artifacts';
export const INIT_CONTAINER = 'regatta-init';
export const WAIT_CONTAINER = 'wait';

/** An image's ENTRYPOINT and CMD, for containers that give no command (Argo's `images` configuration). */
export interface ImageCommand {
  entrypoint: string[];
  cmd?: string[];
}

export interface EmissaryOptions {
  /** Regatta's image: it holds the launcher, and runs `regatta-init` and `wait`. */
  executorImage: string;
  executorImagePullPolicy?: string;
  /** Where the launcher lies in Regatta's image (default /usr/local/bin/regatta-launcher). */
  launcherInImage?: string;
  executorResources?: V1ResourceRequirements;
  executorSecurityContext?: V1SecurityContext;
  /** By image as written: what a container without `command` runs, since a pure builder cannot ask a registry. */
  imageCommands?: Record<string, ImageCommand>;
  /**
   * The local artifact store's folder on the node (REGATTA_KUBE_ARTIFACTS_HOST_PATH): mounted by hostPath
   * into `regatta-init` and `wait` at the same path, as their REGATTA_ARTIFACTS_DIR. Only a single-node
   * cluster shares it with the worker; a cluster of several nodes needs a shared store such as S3.
   */
  artifactsHostPath?: string;
}

const runMount: V1VolumeMount = { name: RUN_VOLUME, mountPath: RUN_DIR };

/** A user container with Regatta's run folder mounted, as Argo mounts /var/run/argo into each. */
export function withRunMount(container: V1Container): V1Container {
  return { ...container, volumeMounts: [...(container.volumeMounts ?? []), runMount] };
}

/** The input artifacts `regatta-init` places: those with a path (a data template's have none, and run in the worker). */
export function placedInputs(job: NodeJob): NonNullable<NodeJob['inputArtifacts']> {
  return (job.inputArtifacts ?? []).filter((artifact) => artifact.path !== undefined);
}

/** `regatta-init`: copies the launcher out of Regatta's image, then places the input artifacts. */
export function initContainer(job: NodeJob, options: EmissaryOptions): V1Container {
  const inputs = placedInputs(job);
  if (inputs.length === 0) return executorContainer(INIT_CONTAINER, ['install', LAUNCHER], options, []);
  const loaded = initArtifacts(job);
  const store = loaded.length > 0 ? artifactStore(options) : undefined;
  return executorContainer(
    INIT_CONTAINER,
    ['install', LAUNCHER],
    options,
    [{ name: 'REGATTA_INPUT_ARTIFACTS', value: JSON.stringify(inputs) }, ...artifactEnv(job), ...(store?.env ?? [])],
    [{ name: INPUTS_VOLUME, mountPath: INPUTS_DIR }, ...(store?.mounts ?? []), ...secretMounts(secretSelectorsOf(loaded))],
  );
}

/** The artifacts `regatta-init` loads (a raw one needs no store). */
export function initArtifacts(job: NodeJob): Artifact[] {
  return placedInputs(job).filter((artifact) => artifact.raw === undefined);
}

/** The artifacts `wait` saves: the outputs, and the main container's log where it is archived. */
export function waitArtifacts(job: NodeJob): Artifact[] {
  return [...(job.outputArtifacts ?? []), ...(job.logsArtifact ? [job.logsArtifact] : [])];
}

/** `wait`: waits for the main containers' launchers to finish, then reports the outputs they left. */
export function waitContainer(job: NodeJob, mainContainers: string[], options: EmissaryOptions): V1Container {
  const outputs = outputsEnv(job);
  const saved = waitArtifacts(job);
  const store = saved.length > 0 ? artifactStore(options) : undefined;
  return executorContainer(
    WAIT_CONTAINER,
    ['wait'],
    options,
    [
      { name: 'REGATTA_WORKFLOW', value: job.workflow.name },
      { name: 'REGATTA_WORKFLOW_UID', value: job.workflow.uid },
      { name: 'REGATTA_NODE_ID', value: job.nodeId },
      { name: 'REGATTA_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'REGATTA_CONTAINERS', value: JSON.stringify(mainContainers) },
      ...artifactEnv(job),
      ...(store?.env ?? []),
      ...outputs,
      ...(job.logsArtifact ? [{ name: 'REGATTA_LOGS_ARTIFACT', value: JSON.stringify(job.logsArtifact) }] : []),
    ],
    [...(store?.mounts ?? []), ...secretMounts(secretSelectorsOf(saved))],
  );
}

/**
 * Where the executor containers read and write artifacts: the pod's namespace (downward API; a store's
 * Secrets are read there) and the workflow's (the local store's keys are scoped by it, which differs
 * where the worker puts every pod in one namespace).
 */
function artifactEnv(job: NodeJob): V1EnvVar[] {
  return [
    { name: 'REGATTA_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'REGATTA_WORKFLOW_NAMESPACE', value: job.workflow.namespace },
  ];
}

/** The local store's folder, where the worker gives pods one (a single-node cluster): env and mount. */
function artifactStore(options: EmissaryOptions): { env: V1EnvVar[]; mounts: V1VolumeMount[] } | undefined {
  const path = options.artifactsHostPath;
  if (path === undefined) return undefined;
  return { env: [{ name: 'REGATTA_ARTIFACTS_DIR', value: path }], mounts: [{ name: ARTIFACTS_VOLUME, mountPath: path }] };
}

/** The local store's hostPath volume, where the executor containers mount it; none otherwise. */
export function artifactStoreVolumes(containers: V1Container[], options: EmissaryOptions): V1Volume[] {
  const path = options.artifactsHostPath;
  const used = containers.some((container) => container.volumeMounts?.some((mount) => mount.name === ARTIFACTS_VOLUME));
  return path !== undefined && used ? [{ name: ARTIFACTS_VOLUME, hostPath: { path, type: 'DirectoryOrCreate' } }] : [];
}

function executorContainer(name: string, args: string[], options: EmissaryOptions, env: V1EnvVar[], mounts: V1VolumeMount[] = []): V1Container {
  return {
    name,
    image: options.executorImage,
    ...(options.executorImagePullPolicy && { imagePullPolicy: options.executorImagePullPolicy }),
    command: [options.launcherInImage ?? '/usr/local/bin/regatta-launcher', ...args],
    env: [{ name: 'REGATTA_CONTAINER', value: name }, ...env],
    volumeMounts: [runMount, ...mounts],
    ...(options.executorResources && { resources: options.executorResources }),
    ...(options.executorSecurityContext && { securityContext: options.executorSecurityContext }),
  };
}

/** The outputs the launcher copies out of the main container on exit, and the wait container reports. */
export function outputsEnv(job: NodeJob): V1EnvVar[] {
  const parameters = (job.outputParameters ?? []).filter((parameter) => parameter.valueFrom?.path !== undefined);
  const artifacts = job.outputArtifacts ?? [];
  if (parameters.length === 0 && artifacts.length === 0) return [];
  return [{ name: 'REGATTA_OUTPUTS', value: JSON.stringify({ parameters, artifacts }) }];
}

/**
 * The container under the launcher: its argv by Docker's rule (`command`, else the image's ENTRYPOINT,
 * then `args`, else the image's CMD), a script's file last, behind `launcher --`.
 */
export function launched(container: V1Container, script: boolean, options: EmissaryOptions): V1Container {
  const { args: _args, ...rest } = container;
  const argv = argvOf(container, script, options.imageCommands ?? {});
  return { ...rest, command: [LAUNCHER, '--', ...argv] };
}

function argvOf(container: V1Container, script: boolean, images: Record<string, ImageCommand>): string[] {
  const args = [...(container.args ?? []), ...(script ? [SCRIPT_PATH] : [])];
  // An empty list is no list, as in Kubernetes.
  if (container.command?.length) return [...container.command, ...args];
  const image = images[container.image ?? ''];
  // Docker's rule, as Argo applies it: the image's CMD only where no args were given (nil, not empty).
  if (image) return [...image.entrypoint, ...(container.args === undefined && !script ? (image.cmd ?? []) : args)];
  // A script with neither command nor args runs its file by its #! line, as in local mode.
  if (script && args.length === 1) return args;
  throw new PodBuildError(
    `container "${container.name}" (image "${container.image ?? ''}") has no command: give the template a command, or list the image's entrypoint in the worker's imageCommands`,
  );
}

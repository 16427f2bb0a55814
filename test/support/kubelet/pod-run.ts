// One pod on the local kubelet: its containers run as local processes in the local executor's sandbox
// (@regatta/executors), init containers one by one to their end, then the regular containers together;
// its volumes are folders of the pod's own (emptyDir, and the files of configMap and secret volumes)
// shared by its containers. Each change of a container's state is told to `onChange`, for the kubelet
// to write as the pod's status. restartPolicy is taken as Never: a container that exits stays exited.
import { tmpdir } from 'node:os';
import { argoTime, type Container, type NodeVolume } from '@regatta/spec';
import { NodeDir, NodeProcess, prepareLaunch, type Launcher } from '@regatta/executors';
import type { V1Container, V1Pod, V1Volume } from '@kubernetes/client-node';
import { ContainerLog } from './container-logs.js';
import { ContainerConfigError, writeProjectedFiles, type ConfigSources } from '@regatta/executors';
import { resolveEnv } from './pod-inputs.js';

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt: string; finishedAt: string } };

export interface ContainerStatus {
  name: string;
  image: string;
  init: boolean;
  state: ContainerState;
}

export interface PodRunState {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  /** The pod's reason and message, where the kubelet ended it (DeadlineExceeded). */
  reason?: string;
  message?: string;
  startTime: string;
  initialized: boolean;
  containers: ContainerStatus[];
}

/** What every pod of a kubelet shares: where pods get their folders, the sandbox, the host's env. */
export interface PodRuntime {
  workDir: string;
  launcher: Launcher;
  hostEnv: Record<string, string>;
  /** Folders hostPath volumes may lie under (none: hostPath is refused). */
  hostPathAllow: string[];
  sources: ConfigSources;
  /** What every container's env starts with (KUBERNETES_SERVICE_HOST and _PORT: the apiserver, for in-cluster clients). */
  podEnv: Record<string, string>;
  /** Programs of an image this host runs otherwise: by image, then by the command's path, the argv that stands for it. */
  imagePrograms?: Record<string, Record<string, ImageProgram>>;
}

/** A stand-in for a program of an image: its argv, and the host folder it reads its files from (a checkout's build). */
export interface ImageProgram {
  argv: string[];
  files: string;
}

/** The volume a stand-in's files are bound by; not a name a pod's own volume could have (they are DNS-1123 labels too, but this prefix is Regatta's). */
const IMAGE_FILES_VOLUME = 'regatta-image-program-files';

/** The local executor's volume context, as prepareLaunch takes it. */
type VolumeContext = Parameters<typeof prepareLaunch>[4];

/** Why a container cannot run on this host (a command or an image's entrypoint missing here, a volume kind): Docker's ContainerCannotRun. */
class CannotRun extends Error {}

type Launch = Parameters<typeof NodeProcess.start>[0];

export class PodRun {
  readonly logs = new Map<string, ContainerLog>();
  private readonly state: PodRunState;
  private readonly running = new Set<NodeProcess>();
  private stopping?: { graceMs: number };
  private dir?: NodeDir;

  constructor(
    private readonly pod: V1Pod,
    private readonly runtime: PodRuntime,
    private readonly onChange: (state: PodRunState) => void,
  ) {
    const inits = pod.spec?.initContainers ?? [];
    const status = (container: V1Container, init: boolean): ContainerStatus => ({
      name: container.name,
      image: container.image ?? '',
      init,
      state: { waiting: { reason: inits.length > 0 ? 'PodInitializing' : 'ContainerCreating' } },
    });
    this.state = {
      phase: 'Pending',
      startTime: argoTime(),
      initialized: inits.length === 0,
      containers: [...inits.map((c) => status(c, true)), ...(pod.spec?.containers ?? []).map((c) => status(c, false))],
    };
  }

  /** Runs the pod to its end; never rejects (what goes wrong becomes the pod's status). */
  async run(): Promise<void> {
    this.emit();
    try {
      await this.runContainers();
    } catch (error) {
      if (error instanceof ContainerConfigError || error instanceof CannotRun) {
        this.failBeforeStart(error);
      } else {
        // A process that could not be spawned: the others are stopped, and the pod fails saying why.
        this.stop(0);
        this.state.phase = 'Failed';
        this.state.message = `the local kubelet could not run the pod: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    this.emit();
  }

  /** Stops the pod: SIGTERM to its running containers, SIGKILL after `graceMs`; none starts after. `reason` ends the pod with it (DeadlineExceeded). */
  stop(graceMs: number, reason?: { reason: string; message: string }): void {
    if (reason && this.stopping === undefined) Object.assign(this.state, reason);
    this.stopping ??= { graceMs };
    for (const process of this.running) process.stop(graceMs);
  }

  /** Removes the pod's folder (its volumes, its containers' roots). */
  async remove(): Promise<void> {
    await this.dir?.remove();
  }

  private async runContainers(): Promise<void> {
    const { pod, runtime } = this;
    const uid = pod.metadata?.uid ?? '';
    this.dir = await NodeDir.create(runtime.workDir, uid, 'pod', 0, runtime.launcher.isolation, [runtime.workDir]);
    const volumes = await this.podVolumes(this.dir);
    const context: VolumeContext = {
      volumes,
      dir: this.dir,
      volumesDir: undefined,
      workflow: { uid, namespace: pod.metadata?.namespace ?? 'default' },
      isolation: runtime.launcher.isolation,
      hostPathAllow: runtime.hostPathAllow,
    };
    const inits = this.state.containers.filter(({ init }) => init);
    const initSpecs = pod.spec?.initContainers ?? [];
    // Each container is made ready just before it starts, as a kubelet creates it: its command may be
    // one an init container put in a shared volume (the emissary's launcher in /var/run/regatta).
    for (const [index, status] of inits.entries()) {
      if (this.stopping) return this.finish();
      const [launch] = await this.prepare([initSpecs[index]!], context);
      const exit = await (await this.startContainer(status, launch!))?.();
      if (exit !== 0 || this.stopping) return this.finish();
    }
    this.state.initialized = true;
    const regular = this.state.containers.filter(({ init }) => !init);
    // The regular containers all made ready before any starts, so that one that cannot run fails the pod with none running.
    const launches = await this.prepare(pod.spec?.containers ?? [], context);
    const started = await Promise.all(regular.map((status, index) => this.startContainer(status, launches[index]!)));
    this.state.phase = 'Running';
    this.emit();
    await Promise.all(started.map((exited) => exited?.()));
    this.finish();
  }

  /** The launches of `containers`: env resolved, volumes bound, command found; throws a ContainerConfigError or CannotRun naming the container. */
  private async prepare(containers: V1Container[], context: VolumeContext): Promise<Launch[]> {
    const { pod, runtime } = this;
    const launches: Launch[] = [];
    for (const container of containers) {
      const env = await resolveEnv(pod, container, runtime.sources).catch((error: unknown) => {
        throw error instanceof ContainerConfigError ? new ContainerConfigError(`container "${container.name}": ${error.message}`) : error;
      });
      const [program, ...rest] = container.command ?? [];
      const standIn = program === undefined ? undefined : runtime.imagePrograms?.[container.image ?? '']?.[program];
      const local: Container = {
        name: container.name,
        image: container.image,
        command: standIn ? [...standIn.argv, ...rest] : container.command,
        args: container.args,
        // The kubelet's own variables first: the container's env may override them.
        env: [...Object.entries(runtime.podEnv).map(([name, value]) => ({ name, value })), ...env],
        workingDir: container.workingDir,
        volumeMounts: container.volumeMounts?.map(({ name, mountPath, readOnly, subPath }) => ({ name, mountPath, readOnly, subPath })),
      };
      const prepared = await prepareLaunch(container.name, local, undefined, this.dir!, standIn ? withImageFiles(local, context, standIn) : context, runtime.launcher, runtime.hostEnv);
      if ('error' in prepared) throw new CannotRun(`container "${container.name}": ${prepared.error}`);
      launches.push(prepared.launch.launch);
    }
    return launches;
  }

  /**
   * Starts one container; gives what waits for its end and its exit code, or undefined where it was not
   * started (the pod is being stopped).
   */
  private async startContainer(status: ContainerStatus, launch: Launch): Promise<(() => Promise<number>) | undefined> {
    if (this.stopping) return undefined;
    const log = new ContainerLog();
    this.logs.set(status.name, log);
    const process = await NodeProcess.start(launch, (stream, line) => log.append(stream, line));
    this.running.add(process);
    // A stop that came while the process was being spawned.
    const stopping = this.stopping as { graceMs: number } | undefined;
    if (stopping) process.stop(stopping.graceMs);
    const startedAt = argoTime();
    status.state = { running: { startedAt } };
    this.emit();
    return async () => {
      const exit = await process.exit;
      this.running.delete(process);
      log.end();
      status.state = {
        terminated: { exitCode: exit.exitCode, reason: exit.exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: argoTime(exit.exitedAt) },
      };
      this.emit();
      return exit.exitCode;
    };
  }

  /** Succeeded where every regular container exited 0 (and the pod was not stopped), else Failed. */
  private finish(): void {
    const regular = this.state.containers.filter(({ init }) => !init);
    const succeeded = this.state.initialized && regular.every(({ state }) => 'terminated' in state && state.terminated.exitCode === 0);
    this.state.phase = succeeded && this.state.reason === undefined ? 'Succeeded' : 'Failed';
  }

  /** A container that cannot be configured waits (the pod stays Pending, as a kubelet leaves it); one that cannot run here fails the pod. */
  private failBeforeStart(error: ContainerConfigError | CannotRun): void {
    const name = /^container "([^"]+)"/.exec(error.message)?.[1];
    const status = this.state.containers.find((container) => container.name === name) ?? this.state.containers[0];
    if (!status) return;
    if (error instanceof ContainerConfigError) {
      status.state = { waiting: { reason: 'CreateContainerConfigError', message: error.message } };
      return;
    }
    const now = argoTime();
    status.state = { terminated: { exitCode: 128, reason: 'ContainerCannotRun', message: error.message, startedAt: now, finishedAt: now } };
    this.state.phase = 'Failed';
    this.state.message = error.message;
  }

  /** The pod's volumes as the local executor takes them: a folder of the pod's own each, hostPath as is. */
  private async podVolumes(dir: NodeDir): Promise<NodeVolume[]> {
    const namespace = this.pod.metadata?.namespace ?? 'default';
    const volumes: NodeVolume[] = [];
    for (const volume of this.pod.spec?.volumes ?? []) volumes.push(await this.podVolume(volume, dir, namespace));
    return volumes;
  }

  private async podVolume(volume: V1Volume, dir: NodeDir, namespace: string): Promise<NodeVolume> {
    const { name } = volume;
    if (volume.emptyDir) return { name, emptyDir: true };
    if (volume.hostPath) return { name, hostPath: { path: volume.hostPath.path, ...(volume.hostPath.type && { type: volume.hostPath.type }) } };
    const { sources } = this.runtime;
    if (volume.configMap) {
      const { name: source = '', items, defaultMode, optional } = volume.configMap;
      await writeProjectedFiles(await dir.emptyDir(name), { kind: 'ConfigMap', name: source, items, defaultMode, optional }, namespace, sources);
      return { name, emptyDir: true, readOnly: true };
    }
    if (volume.secret) {
      const { secretName: source = '', items, defaultMode, optional } = volume.secret;
      await writeProjectedFiles(await dir.emptyDir(name), { kind: 'Secret', name: source, items, defaultMode, optional }, namespace, sources);
      return { name, emptyDir: true, readOnly: true };
    }
    const kind = Object.keys(volume).find((key) => key !== 'name') ?? 'unknown';
    throw new CannotRun(`volume "${name}": ${kind} volumes are not supported by the local kubelet (emptyDir, hostPath, configMap and secret are)`);
  }

  private emit(): void {
    this.onChange(structuredClone(this.state));
  }
}

/**
 * The image would carry its program's files; here they lie on the host, and a checkout under /tmp is hidden
 * by each container's private /tmp: there they are bound read-only at their own path (elsewhere the
 * container sees the host's files already).
 */
function withImageFiles(container: Container, context: VolumeContext, program: ImageProgram): VolumeContext {
  const tmp = `${tmpdir()}/`;
  if (!program.files.startsWith(tmp) && !program.files.startsWith('/tmp/')) return context;
  (container.volumeMounts ??= []).push({ name: IMAGE_FILES_VOLUME, mountPath: program.files, readOnly: true });
  return {
    ...context,
    volumes: [...(context.volumes ?? []), { name: IMAGE_FILES_VOLUME, hostPath: { path: program.files } }],
    hostPathAllow: [...context.hostPathAllow, program.files],
  };
}

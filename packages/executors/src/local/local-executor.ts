// Runs a node as a host process with Argo's container semantics: command + args (a script template's
// file after them, the image's entrypoint where the command is missing), the template's env over a
// minimal host env, its workingDir, its volumes; each container has a filesystem of its own where the host
// allows (see sandbox.ts). Input artifacts are placed first, then init containers run one by one; stdout's
// tail becomes `outputs.result`, output parameters are read from files and output artifacts saved to the
// repository; sidecars run beside the main container until it exits. Env from ConfigMaps and Secrets and
// their volumes are read when the node starts. A node that cannot run here (an unknown image without a
// command, a command missing on this host, a Secret missing) is an Error whose message says why, and never
// holds a Secret value the node received.
import { argoTime, type Container } from '@regatta/spec';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { abortMessage } from '../abort-message.js';
import { type Executor, type NodeRunRequest, type NodeRunResult, type RunContext } from '../executor.js';
import { NO_CONFIG_SOURCES, type ConfigSources } from '../config-sources/config-sources.js';
import { expandVariables, resolveEnv } from '../config-sources/env.js';
import { Redactor } from '../config-sources/redactor.js';
import { placeInputArtifacts, saveOutputArtifacts, type ArtifactsSaved } from './artifacts.js';
import { MainLog } from './main-log.js';
import { NodeDir } from './node-dir.js';
import { readOutputParameters, type ParameterRead } from './output-parameters.js';
import { prepareLaunch, type PreparedLaunch } from './prepare-launch.js';
import { runContainers, runInitContainers, type ContainersExit, type SidecarLaunch } from './run-containers.js';
import { chooseLauncher, type Launcher } from './sandbox.js';
import { containerSetProblem, runContainerSet, type SetContainerLaunch } from './container-set.js';
import { parseHostPathAllow, projectVolumes, type VolumeContext } from './volumes.js';
import { ArtifactStore, ensurePrivateFolder } from '@regatta/artifacts';

export interface LocalExecutorOptions {
  /** Where each node attempt gets its folder; the folder is removed after the run. */
  workDir: string;
  /** Told once when nodes cannot be isolated on this host, and of a node folder that could not be removed. */
  warn?(message: string): void;
  /** `auto` (the default): a private /tmp and pid namespace per node where the host allows; `none`: a process group only. */
  isolation?: 'auto' | 'none';
  /** How long an aborted node has between SIGTERM and SIGKILL; 5 s unless set. */
  killGraceMs?: number;
  /**
   * The worker's environment, process.env unless set: nodes inherit PATH, HOME and LANG from it, and the
   * sandbox's tools are looked for on its PATH.
   */
  hostEnv?: Record<string, string | undefined>;
  /** The artifact stores: the host's folder store (shared by its workers) and the remote ones; without it, remote stores only (no credentials) and `raw`. */
  artifacts?: ArtifactStore;
  /** Where persistent volume claims live, shared by the workers of a host; without it only emptyDir and hostPath volumes run. */
  volumesDir?: string;
  /** The folders hostPath volumes may lie under; by default REGATTA_HOSTPATH_ALLOW of `hostEnv` (see parseHostPathAllow), and none without it. */
  hostPathAllow?: string[];
  /** The ConfigMaps and Secrets that env, envFrom and configMap/secret volumes read; without it, such a node fails saying so. */
  sources?: ConfigSources;
}

/** What a node inherits from the worker; the rest of its environment is the template's. */
const HOST_VARIABLES = ['PATH', 'HOME', 'LANG'];
/** Docker's default, for a worker started without PATH. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SIGNAL_NAMES = new Map(Object.entries(constants.signals).reverse().map(([name, number]) => [number, name]));

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly workDir: string;
  private readonly hostEnv: Record<string, string>;
  private readonly artifacts: ArtifactStore;
  private readonly hostPathAllow: string[];
  /** The operator's folders, which nodes neither see nor name as outputs. */
  private readonly hidden: string[];
  private launcher?: Promise<Launcher>;

  constructor(private readonly options: LocalExecutorOptions) {
    this.workDir = resolve(options.workDir);
    const env = options.hostEnv ?? process.env;
    this.hostEnv = { PATH: DEFAULT_PATH };
    for (const name of HOST_VARIABLES) if (env[name] !== undefined) this.hostEnv[name] = env[name];
    this.artifacts = options.artifacts ?? new ArtifactStore();
    this.hostPathAllow = options.hostPathAllow ?? parseHostPathAllow(env.REGATTA_HOSTPATH_ALLOW);
    this.hidden = [this.workDir, options.artifacts?.localRoot, options.volumesDir].filter((folder) => folder !== undefined).map((folder) => resolve(folder));
  }

  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    return Redactor.around((redactor) => this.runNode(request, context, redactor));
  }

  private async runNode(request: NodeRunRequest, context: RunContext, redactor: Redactor): Promise<NodeRunResult> {
    const startedAt = argoTime();
    const error = (message: string): NodeRunResult => ({ phase: 'Error', message, outputs: {}, startedAt, finishedAt: argoTime() });
    if (context.signal.aborted) return { phase: 'Failed', message: abortMessage(context.signal), outputs: {}, startedAt, finishedAt: startedAt };

    const launcher = await this.chooseLauncher();
    const dir = await NodeDir.create(this.workDir, request.workflow.uid, request.nodeId, request.attempt, launcher.isolation, this.hidden);
    try {
      const sources = this.options.sources ?? NO_CONFIG_SOURCES;
      const { namespace } = request.workflow;
      const projected = await projectVolumes(request.volumes, dir, namespace, sources, redactor).then((volumes) => ({ volumes }), configError);
      if ('error' in projected) return error(projected.error);
      const volumes: VolumeContext = {
        volumes: projected.volumes,
        dir,
        volumesDir: this.options.volumesDir,
        workflow: request.workflow,
        isolation: launcher.isolation,
        hostPathAllow: this.hostPathAllow,
      };
      const prepare = async (name: string, container: Container, script?: string): Promise<PreparedLaunch | { error: string }> => {
        const env = await resolveEnv(container, { namespace, sources, redactor }).catch(configError);
        if ('error' in env) return env;
        const values = new Map(env.map(({ name, value }) => [name, value]));
        const expand = (texts: string[] | undefined) => texts?.map((text) => expandVariables(text, values));
        const resolved = { ...container, env, envFrom: undefined, command: expand(container.command), args: expand(container.args) };
        return prepareLaunch(name, resolved, script, dir, volumes, launcher, this.hostEnv);
      };
      if (request.containerSet) return await this.runContainerSet(request, context, prepare, error, startedAt);
      const main = await prepare('main', request.container, request.script?.source);
      if ('error' in main) return error(main.error);
      const inits: SidecarLaunch[] = [];
      for (const [index, init] of (request.initContainers ?? []).entries()) {
        const name = init.name ?? `init-${index}`;
        const prepared = await prepare(name, init);
        if ('error' in prepared) return error(`init container "${name}": ${prepared.error}`);
        inits.push({ name, ...prepared.launch });
      }
      const sidecars: SidecarLaunch[] = [];
      for (const [index, sidecar] of (request.sidecars ?? []).entries()) {
        const name = sidecar.name ?? `sidecar-${index}`;
        const prepared = await prepare(name, sidecar);
        if ('error' in prepared) return error(`sidecar "${name}": ${prepared.error}`);
        sidecars.push({ name, ...prepared.launch });
      }
      const unplaced = await placeInputArtifacts(request.inputArtifacts, this.artifacts, main.fs, main.cwd, request.workflow.namespace);
      if (unplaced !== undefined) return error(unplaced);

      const failedInit = await runInitContainers(inits, context, this.options.killGraceMs ?? 5_000);
      if (context.signal.aborted) return { phase: 'Failed', message: abortMessage(context.signal), outputs: {}, startedAt, finishedAt: argoTime() };
      if (failedInit) return { phase: 'Failed', message: `init container "${failedInit.name}": ${exitMessage(failedInit.exitCode)}`, outputs: {}, startedAt, finishedAt: argoTime() };
      const mainLog = request.logsArtifact && (await MainLog.open());
      try {
        const exit = await runContainers(main.launch, sidecars, context, this.options.killGraceMs ?? 5_000, mainLog?.tee(context.onLog));
        const hostPath = (path: string) => main.fs.readablePath(path, main.cwd);
        const parameters = await readOutputParameters(request.outputParameters, hostPath);
        const artifacts = await saveOutputArtifacts(request.outputArtifacts, this.artifacts, hostPath, namespace);
        if (mainLog) await mainLog.saveInto(artifacts, request.logsArtifact!, this.artifacts, namespace);
        return finished(exit, parameters, artifacts, context.signal, startedAt);
      } finally {
        await mainLog?.remove();
      }
    } finally {
      await dir.remove().catch((cause: Error) => this.options.warn?.(`local executor: could not remove ${dir.path}: ${cause.message}`));
    }
  }

  /** A containerSet node: its containers in dependency order sharing the node's /tmp and volumes; the result is main's (else the last's). */
  private async runContainerSet(
    request: NodeRunRequest,
    context: RunContext,
    prepare: (name: string, container: Container) => Promise<PreparedLaunch | { error: string }>,
    error: (message: string) => NodeRunResult,
    startedAt: string,
  ): Promise<NodeRunResult> {
    const { containers, retries = 0, retryDelayMs = 0 } = request.containerSet!;
    const problem = containerSetProblem(containers.map(({ name, dependencies }) => ({ name, dependencies: dependencies ?? [] })));
    if (problem) return error(problem);
    if (containers.length === 0) return error('containerSet: no containers');
    const mainName = (containers.find(({ name }) => name === 'main') ?? containers.at(-1)!).name;
    const launches: SetContainerLaunch[] = [];
    let main: PreparedLaunch | undefined;
    for (const container of containers) {
      const prepared = await prepare(container.name, container);
      if ('error' in prepared) return error(`container "${container.name}": ${prepared.error}`);
      if (container.name === mainName) main = prepared;
      launches.push({ name: container.name, dependencies: container.dependencies ?? [], ...prepared.launch });
    }
    const unplaced = await placeInputArtifacts(request.inputArtifacts, this.artifacts, main!.fs, main!.cwd, request.workflow.namespace);
    if (unplaced !== undefined) return error(unplaced);

    const exit = await runContainerSet(launches, mainName, retries, retryDelayMs, context, this.options.killGraceMs ?? 5_000);
    const hostPath = (path: string) => main!.fs.readablePath(path, main!.cwd);
    const read = await readOutputParameters(request.outputParameters, hostPath);
    const saved = await saveOutputArtifacts(request.outputArtifacts, this.artifacts, hostPath, request.workflow.namespace);
    const outputs: NodeRunResult['outputs'] = {};
    if (exit.main) Object.assign(outputs, { result: exit.main.result, exitCode: String(exit.main.exitCode) });
    if (read.parameters.length > 0) outputs.parameters = read.parameters;
    if (saved.artifacts.length > 0) outputs.artifacts = saved.artifacts;
    const ended = {
      ...(exit.main && { exitCode: exit.main.exitCode }),
      outputs,
      startedAt,
      finishedAt: exit.main ? argoTime(exit.main.exitedAt) : argoTime(),
      containers: exit.containers,
    };
    if (context.signal.aborted) return { phase: 'Failed', message: abortMessage(context.signal), ...ended };
    const failed = exit.containers.find(({ phase }) => phase === 'Failed');
    if (failed) {
      const message = exitMessage(failed.exitCode ?? 1);
      return { phase: 'Failed', message: failed.name === mainName ? message : `${failed.name}: ${message}`, ...ended };
    }
    const outputError = read.error ?? saved.error;
    if (outputError) return { phase: 'Error', message: outputError, ...ended };
    return { phase: 'Succeeded', ...ended };
  }

  /**
   * Makes the operator's folders private and probes the sandbox on first use; a failed probe (not a
   * refused sandbox) is tried again on the next run.
   */
  private chooseLauncher(): Promise<Launcher> {
    const choose = async () => {
      await ensurePrivateFolder(this.workDir, 'the work folder');
      if (this.options.volumesDir !== undefined) await ensurePrivateFolder(resolve(this.options.volumesDir), 'the volumes folder');
      return chooseLauncher(this.options.isolation ?? 'auto', this.hostEnv.PATH!, this.workDir, { hidden: this.hidden });
    };
    this.launcher ??= choose().then(
      ({ launcher, fallbackReason, limits }) => {
        for (const limit of limits ?? []) this.options.warn?.(`local executor: nodes get ${limit}`);
        if (fallbackReason && launcher.isolation === 'namespaces') {
          this.options.warn?.(
            `local executor: nodes get ${fallbackReason}; each gets ${launcher.description} only: ` +
              `what a node writes outside /tmp goes to the host, and volumes can be mounted under /tmp only`,
          );
        } else if (fallbackReason) {
          this.options.warn?.(
            `local executor: nodes are not isolated (${fallbackReason}); each gets ${launcher.description} only: ` +
              `nodes share the host's /tmp, and a worker killed with SIGKILL may leave a node's child processes behind`,
          );
        }
        return launcher;
      },
      (cause: unknown) => {
        this.launcher = undefined;
        throw cause;
      },
    );
    return this.launcher;
  }
}

/**
 * What cannot be read from the node's ConfigMaps and Secrets (a missing one, a store that refuses) is
 * Kubernetes' CreateContainerConfigError: the node's, not the worker's, so it ends the node in Error.
 */
function configError(cause: unknown): { error: string } {
  return { error: `CreateContainerConfigError: ${(cause as Error).message}` };
}

/**
 * Parameters and artifacts of a failed node are reported as far as they could be read and saved; one that
 * could not fails only a node whose main container succeeded. A sidecar fails the node by an exit code of its own only: Argo
 * ignores 137 and 143, which the sidecar's stop gives (`inferFailedReason` in its operator.go).
 */
function finished(
  { main, sidecars }: ContainersExit,
  read: ParameterRead,
  saved: ArtifactsSaved,
  signal: AbortSignal,
  startedAt: string,
): NodeRunResult {
  const outputs: NodeRunResult['outputs'] = { result: main.result, exitCode: String(main.exitCode) };
  if (read.parameters.length > 0) outputs.parameters = read.parameters;
  if (saved.artifacts.length > 0) outputs.artifacts = saved.artifacts;
  const ended = { exitCode: main.exitCode, outputs, startedAt, finishedAt: argoTime(main.exitedAt) };
  if (main.stopped) return { phase: 'Failed', message: abortMessage(signal), ...ended };
  if (main.exitCode !== 0) return { phase: 'Failed', message: exitMessage(main.exitCode), ...ended };
  const outputError = read.error ?? saved.error;
  if (outputError) return { phase: 'Error', message: outputError, ...ended };
  const sidecar = sidecars.find(({ exitCode }) => ![0, 137, 143].includes(exitCode));
  if (sidecar) return { phase: 'Failed', message: `${sidecar.name}: ${exitMessage(sidecar.exitCode)}`, ...ended };
  return { phase: 'Succeeded', ...ended };
}

/** Argo's wording, with the signal named where the code is a shell's 128 + n for a process killed by signal n. */
function exitMessage(exitCode: number): string {
  const signal = exitCode > 128 ? SIGNAL_NAMES.get(exitCode - 128) : undefined;
  return signal ? `Error (exit code ${exitCode}): killed by ${signal}` : `Error (exit code ${exitCode})`;
}

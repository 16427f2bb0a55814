// Runs a node as a host process: command + args (or a script file) with the template's env and
// workingDir, stdout and stderr streamed to the log, stdout's tail as `outputs.result`, output
// parameters read from files. A missing or absent command is an Error that names it.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { timestamp, type Executor, type NodeRunRequest, type NodeRunResult, type RunContext } from '../executor.js';
import { resolveCommand } from './command-resolve.js';
import { LineSplitter, TailBuffer } from './output-capture.js';
import { readOutputParameters } from './output-parameters.js';
import { hasSetpriv, launchCommand, probeSandbox, type Launch, type Probe } from './sandbox.js';

export interface LocalExecutorOptions {
  /** Where per-node folders are made (and removed after each run). */
  workDir: string;
  warn?(message: string): void;
  isolation?: 'auto' | 'none';
  /** How long an aborted node gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

const HOST_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'];
/** Inside the sandbox a script is written into the node's private /tmp, which is all it can see of it. */
const SANDBOX_SCRIPT = '/tmp/.regatta/script';

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private probe?: Probe;

  constructor(private readonly options: LocalExecutorOptions) {}

  async run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    const startedAt = timestamp();
    const probe = this.sandbox();
    const nodeDir = join(this.options.workDir, request.workflow.uid, `${request.nodeId}-${request.attempt}`);
    const nodeTmp = join(nodeDir, 'tmp');
    mkdirSync(nodeTmp, { recursive: true });
    try {
      const fail = (message: string): NodeRunResult => ({ phase: 'Error', message, outputs: {}, startedAt, finishedAt: timestamp() });
      const { container } = request;
      const env: Record<string, string> = { TMPDIR: '/tmp' };
      for (const name of HOST_ENV) if (process.env[name] !== undefined) env[name] = process.env[name]!;
      for (const variable of container.env ?? []) {
        if (variable.value === undefined) return fail(`env ${variable.name}: valueFrom is not supported by the local executor yet`);
        env[variable.name] = variable.value;
      }
      const argv = [...(container.command ?? [])];
      if (request.script) {
        const hostScript = probe.isolation === 'namespaces' ? join(nodeTmp, '.regatta', 'script') : join(nodeDir, 'script');
        mkdirSync(join(hostScript, '..'), { recursive: true });
        writeFileSync(hostScript, request.script.source, { mode: 0o755 });
        argv.push(probe.isolation === 'namespaces' ? SANDBOX_SCRIPT : hostScript);
      }
      argv.push(...(container.args ?? []));
      const image = container.image ?? '';
      if (argv.length === 0) return fail(`container "${image}" has no command: the local executor cannot run an image's entrypoint`);
      if (!resolveCommand(argv[0]!, env.PATH ?? '', container.workingDir ?? nodeTmp)) {
        return fail(`command "${argv[0]}" not found on this host (it stands for image "${image}")`);
      }
      const launch = launchCommand(probe.isolation, nodeTmp, container.workingDir, argv, probe.hasSetpriv);
      const outcome = await this.spawnNode(launch, env, context);
      const hostPath = (path: string) => (probe.isolation === 'namespaces' && (path === '/tmp' || path.startsWith('/tmp/')) ? join(nodeTmp, path.slice(4)) : path);
      const outputs: NodeRunResult['outputs'] = { result: outcome.result, exitCode: String(outcome.exitCode) };
      const read = await readOutputParameters(request.outputParameters, hostPath);
      const finishedAt = timestamp();
      if ('parameters' in read && read.parameters.length > 0) outputs.parameters = read.parameters;
      if (context.signal.aborted) return { phase: 'Failed', exitCode: outcome.exitCode, message: 'terminated', outputs, startedAt, finishedAt };
      if (outcome.exitCode !== 0) return { phase: 'Failed', exitCode: outcome.exitCode, message: outcome.message, outputs, startedAt, finishedAt };
      if ('error' in read) return { phase: 'Error', exitCode: 0, message: read.error, outputs, startedAt, finishedAt };
      return { phase: 'Succeeded', exitCode: 0, outputs, startedAt, finishedAt };
    } finally {
      rmSync(nodeDir, { recursive: true, force: true });
    }
  }

  private sandbox(): Probe {
    if (!this.probe) {
      this.probe = this.options.isolation === 'none' ? { isolation: 'process-group', hasSetpriv: hasSetpriv() } : probeSandbox();
      if (this.options.isolation !== 'none' && this.probe.reason) {
        this.options.warn?.(`local executor cannot isolate nodes (${this.probe.reason}): nodes share /tmp, and a killed worker may leave a node's child processes behind`);
      }
    }
    return this.probe;
  }

  private spawnNode(
    launch: Launch,
    env: Record<string, string>,
    context: RunContext,
  ): Promise<{ exitCode: number; message?: string; result: string }> {
    return new Promise((resolve, reject) => {
      // Own process group, so an abort reaches every process the node started.
      const child = spawn(launch.file, launch.args, { env, cwd: launch.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const tail = new TailBuffer();
      const stdout = new LineSplitter((line) => context.onLog('stdout', line));
      const stderr = new LineSplitter((line) => context.onLog('stderr', line));
      child.stdout.on('data', (chunk: Buffer) => {
        tail.push(chunk);
        stdout.push(chunk.toString('utf8'));
      });
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
      let killTimer: NodeJS.Timeout | undefined;
      const abort = () => {
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), this.options.killGraceMs ?? 5_000);
      };
      if (context.signal.aborted) abort();
      else context.signal.addEventListener('abort', abort, { once: true });
      child.once('error', reject);
      child.once('close', (code, signal) => {
        clearTimeout(killTimer);
        context.signal.removeEventListener('abort', abort);
        stdout.end();
        stderr.end();
        const exitCode = code ?? 128 + signalNumber(signal);
        const message = signal ? `Error (exit code ${exitCode}): killed by ${signal}` : `Error (exit code ${exitCode})`;
        resolve({ exitCode, message: exitCode === 0 ? undefined : message, result: tail.result() });
      });
    });
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (constants.signals[signal] ?? 0) : 0;
}

// One launched container process (a node's main container or one of its sidecars) in a process group of
// its own: output streamed as lines, with the tail of stdout kept where asked; `stop` ends the whole group
// (SIGTERM, then SIGKILL after a grace); and whatever the command leaves running in its group is killed
// when it exits, as a container's processes end with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { LineSplitter, type TailBuffer } from './output-capture.js';
import type { Launch } from './sandbox.js';

export interface ProcessExit {
  /** The exit code, or 128 + the signal's number for a process killed by a signal, as a shell reports it. */
  exitCode: number;
  /** Whether `stop` was called before it exited. */
  stopped: boolean;
  exitedAt: Date;
}

export type LogLine = (stream: 'stdout' | 'stderr', line: string) => void;

export class NodeProcess {
  /** Settles once the output pipes are drained; never rejects. */
  readonly exit: Promise<ProcessExit>;
  private exited = false;
  private stopped = false;
  private killTimer?: NodeJS.Timeout;

  /** Resolves once the launcher runs; rejects only when it cannot be started at all. `tail`, where given, gets stdout. */
  static start(launch: Launch, onLog: LogLine, tail?: TailBuffer): Promise<NodeProcess> {
    return new Promise((resolve, reject) => {
      // detached: a new session and process group, whose id is the child's pid.
      const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const started = new NodeProcess(child, onLog, tail);
      child.once('spawn', () => resolve(started));
      child.once('error', reject);
    });
  }

  private constructor(
    private readonly child: ChildProcess,
    onLog: LogLine,
    tail: TailBuffer | undefined,
  ) {
    const stdout = new LineSplitter((line) => onLog('stdout', line));
    const stderr = new LineSplitter((line) => onLog('stderr', line));
    child.stdout!.on('data', (chunk: Buffer) => {
      tail?.push(chunk);
      stdout.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    let exitedAt = new Date();
    child.once('exit', () => {
      exitedAt = new Date();
      this.exited = true;
      this.signal('SIGKILL');
    });
    // After 'exit', once the pipes are drained.
    this.exit = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        clearTimeout(this.killTimer);
        stdout.end();
        stderr.end();
        resolve({ exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0), stopped: this.stopped, exitedAt });
      });
    });
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; only the first call counts, and none after the process exited. */
  stop(graceMs: number): void {
    if (this.stopped || this.exited) return;
    this.stopped = true;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}

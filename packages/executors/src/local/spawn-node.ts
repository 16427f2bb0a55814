// Runs one launched node process in a process group of its own: output streamed as lines with the tail
// of stdout kept; an abort stops the whole group (SIGTERM, then SIGKILL after a grace); and whatever the
// command leaves running in its group is killed when it exits, as a container's processes end with it.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { RunContext } from '../executor.js';
import { LineSplitter, TailBuffer } from './output-capture.js';
import type { Launch } from './sandbox.js';

export interface SpawnOutcome {
  /** The exit code, or 128 + the signal's number for a process killed by a signal, as a shell reports it. */
  exitCode: number;
  /** The tail of stdout, as `outputs.result`. */
  result: string;
  /** Whether the abort signal stopped it. */
  aborted: boolean;
  exitedAt: Date;
}

/** Rejects only when the launcher itself cannot be started. */
export function spawnNode(launch: Launch, env: Record<string, string>, context: RunContext, killGraceMs: number): Promise<SpawnOutcome> {
  return new Promise((resolve, reject) => {
    // detached: a new session and process group, whose id is the child's pid.
    const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = new TailBuffer();
    const stdout = new LineSplitter((line) => context.onLog('stdout', line));
    const stderr = new LineSplitter((line) => context.onLog('stderr', line));
    child.stdout.on('data', (chunk: Buffer) => {
      tail.push(chunk);
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    let exitedAt = new Date();
    const abort = () => {
      aborted = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), killGraceMs);
    };
    if (context.signal.aborted) abort();
    else context.signal.addEventListener('abort', abort, { once: true });

    child.once('error', (error) => {
      context.signal.removeEventListener('abort', abort);
      clearTimeout(killTimer);
      reject(error);
    });
    child.once('exit', () => {
      exitedAt = new Date();
      context.signal.removeEventListener('abort', abort);
      signalGroup(child.pid, 'SIGKILL');
    });
    // After 'exit', once the pipes are drained.
    child.once('close', (code, signal) => {
      clearTimeout(killTimer);
      stdout.end();
      stderr.end();
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ exitCode, result: tail.result(), aborted, exitedAt });
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

// The processes a chaos run starts, each in a process group of its own, so that a SIGKILL reaches the
// process and whatever it spawned in its group, and nothing that this run did not start. Every start
// and kill is written to the kill log with its time, which is the evidence the report judges reruns by.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export type Role = 'scheduler' | 'worker' | 'redis';

export interface LifeEvent {
  /** ms since the epoch */
  at: number;
  what: 'start' | 'kill' | 'exit';
  process: string;
  role: Role;
  pid: number;
  /** exit: how it ended */
  detail?: string;
}

export class KillLog {
  readonly events: LifeEvent[] = [];

  record(event: LifeEvent): void {
    this.events.push(event);
  }

  kills(role?: Role): LifeEvent[] {
    return this.events.filter((e) => e.what === 'kill' && (role === undefined || e.role === role));
  }

  /** Exits nobody asked for: a process that died on its own is a finding too. */
  unexpectedExits(): LifeEvent[] {
    return this.events.filter((e) => e.what === 'exit' && e.detail !== 'SIGKILL' && e.detail !== 'SIGTERM' && e.detail !== 'code 0');
  }
}

export interface ProcessSpec {
  name: string;
  role: Role;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** One long-running process that can be killed and started again with the same command. */
export class Supervised {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private log: WriteStream | undefined;

  constructor(
    readonly spec: ProcessSpec,
    private readonly logDir: string,
    private readonly killLog: KillLog,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    if (this.running) return;
    const { name, role, command, args, env, cwd } = this.spec;
    this.log ??= createWriteStream(join(this.logDir, `${name}.log`), { flags: 'a' });
    // detached: a process group of its own, led by the child (pgid = pid).
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    const pid = child.pid ?? -1;
    this.killLog.record({ at: Date.now(), what: 'start', process: name, role, pid });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.killLog.record({ at: Date.now(), what: 'exit', process: name, role, pid, detail: signal ?? `code ${code}` });
        resolve();
      });
      child.once('error', () => resolve());
    });
  }

  /** SIGKILL to the process group this run started, then waits for the leader to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.running) return;
    this.killLog.record({ at: Date.now(), what: 'kill', process: this.spec.name, role: this.spec.role, pid: child.pid });
    signalGroup(child.pid, 'SIGKILL');
    await this.exited;
  }

  /** A clean stop (SIGTERM), for the end of the run; SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (child?.pid && this.running) {
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    // Whatever the leader left behind in its group (a node's shell) goes too.
    if (child?.pid) signalGroup(child.pid, 'SIGKILL');
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

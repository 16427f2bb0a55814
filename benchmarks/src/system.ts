// The real system under test, as separate processes: `regatta scheduler` and `regatta worker` with
// the noop executor, on the same Redis as the baseline, under a prefix of their own.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const CLI = fileURLToPath(new URL('../../apps/cli/bin/regatta.js', import.meta.url));

export interface SystemOptions {
  redisUrl: string;
  prefix: string;
  schedulers: number;
  workers: number;
  concurrency: number;
}

export class RegattaSystem {
  readonly schedulers: ChildProcess[] = [];
  readonly workers: ChildProcess[] = [];

  constructor(private readonly options: SystemOptions) {}

  /** Starts the processes and waits until the schedulers hold every shard, shared evenly. */
  async start(redis: Redis, shards: number): Promise<void> {
    const env = { ...process.env, REDIS_URL: this.options.redisUrl, REGATTA_PREFIX: this.options.prefix, LOG_LEVEL: 'warn' };
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the processes under test.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    for (let i = 0; i < this.options.schedulers; i++) this.schedulers.push(spawn(process.execPath, [...nodeArgs, CLI, 'scheduler'], { env, stdio: 'inherit' }));
    for (let i = 0; i < this.options.workers; i++) {
      const args = [...nodeArgs, CLI, 'worker', '--executor', 'noop', '--concurrency', String(this.options.concurrency)];
      this.workers.push(spawn(process.execPath, args, { env, stdio: 'inherit' }));
    }
    const fair = Math.floor(shards / this.options.schedulers);
    for (let settled = false; !settled; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const owners = await Promise.all(Array.from({ length: shards }, (_, s) => redis.hget(`${this.options.prefix}:{s${s}}:lease`, 'owner')));
      const counts = new Map<string, number>();
      for (const owner of owners) if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      settled = counts.size === this.options.schedulers && [...counts.values()].every((n) => n >= fair) && !owners.includes(null);
    }
    // Give the workers a moment to connect their consumers too.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }

  /** Peak resident memory (VmHWM) of each process kind, in MB. */
  peakRssMb(): { scheduler: number; worker: number } {
    const peak = (children: ChildProcess[]) => Math.max(0, ...children.map((c) => vmHwmKb(c.pid) / 1024));
    return { scheduler: round(peak(this.schedulers)), worker: round(peak(this.workers)) };
  }

  /** Resident memory now (VmRSS) of the first scheduler, in MB: whether finished workflows are let go. */
  schedulerRssMb(): number {
    return round(statusKb(this.schedulers[0]?.pid, 'VmRSS') / 1024);
  }

  /** CPU seconds (user + system) used so far by each process kind. */
  cpuSeconds(): { scheduler: number; worker: number } {
    const sum = (children: ChildProcess[]) => children.reduce((total, c) => total + cpuSecondsOf(c), 0);
    return { scheduler: round(sum(this.schedulers), 2), worker: round(sum(this.workers), 2) };
  }

  async stop(): Promise<void> {
    const all = [...this.schedulers, ...this.workers];
    await Promise.all(
      all.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a child process has used so far. */
export function cpuSecondsOf(child: ChildProcess): number {
  return cpuTicks(child.pid) / TICKS_PER_SECOND;
}

function cpuTicks(pid: number | undefined): number {
  try {
    // Fields after the command name (which may hold spaces) start at ")": utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function vmHwmKb(pid: number | undefined): number {
  return statusKb(pid, 'VmHWM');
}

/** A memory field of /proc/<pid>/status, in kB. */
export function statusKb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Removes every key of a run: the system's and its baseline's. */
export async function removePrefix(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}:*`, `${prefix}-bare:*`]) {
    const keys = await redis.keys(pattern);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  }
}

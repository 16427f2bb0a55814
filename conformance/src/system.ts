// The system under test as a user runs it: one `regatta scheduler` and one `regatta worker` (local
// executor, or the Kubernetes one) as separate processes under a key prefix of this run's own, removed with its keys at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import type { Redis } from 'ioredis';
import { isClusterUrl, Keys, readInstance } from '@regatta/store';
import { RegattaCli } from './regatta-cli.js';

const READY_TIMEOUT_MS = 30_000;
/** How long a stopping process may take to finish its work before it is killed. */
const STOP_GRACE_MS = 10_000;
const WORKER_CONCURRENCY = 8;

export class RegattaSystem {
  private readonly children: ChildProcess[] = [];

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly prefix: string,
    private readonly log: WriteStream,
    /** The worker's executor flags (`--executor kubernetes …`); none for the local executor. */
    private readonly workerArgs: string[] = [],
  ) {}

  /** Starts both processes and waits until the scheduler holds every shard. */
  async start(redis: Redis): Promise<void> {
    this.spawn(['scheduler']);
    this.spawn(['worker', '--concurrency', String(WORKER_CONCURRENCY), ...this.workerArgs]);
    const keys = new Keys(this.prefix);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const exited = this.children.find((child) => child.exitCode !== null || child.signalCode !== null);
      if (exited) throw new Error(`regatta ${exited.spawnargs[2]} exited at start (${exited.exitCode ?? exited.signalCode}); see ${this.log.path}`);
      if (await this.allShardsLeased(redis, keys)) return;
      if (Date.now() > deadline) throw new Error(`the scheduler did not take its shards within ${READY_TIMEOUT_MS / 1000} s; see ${this.log.path}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGTERM, then SIGKILL for a process still running after the grace period. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }

  /** For an exit that cannot wait: the processes are told to stop and left to it. */
  signalStop(): void {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }

  private spawn(args: string[]): void {
    const [command, argv] = RegattaCli.command(args);
    const child = spawn(command, argv, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.children.push(child);
  }

  private async allShardsLeased(redis: Redis, keys: Keys): Promise<boolean> {
    const shards = await readInstance(redis, keys).then(
      (instance) => instance.shards,
      () => undefined,
    );
    if (shards === undefined) return false;
    const owners = await Promise.all(Array.from({ length: shards }, (_, s) => redis.hget(keys.shard(s).lease, 'owner')));
    return owners.every((owner) => owner !== null);
  }
}

/** Removes every key under the prefix (on a cluster, from each master). */
export async function deleteKeys(redis: Redis, redisUrl: string, prefix: string): Promise<void> {
  const nodes = isClusterUrl(redisUrl) ? (redis as unknown as { nodes(role: 'master'): Redis[] }).nodes('master') : [redis];
  for (const node of nodes) {
    for await (const keys of node.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      // One UNLINK per key: on a cluster, keys of different slots cannot share a command.
      await Promise.all(keys.map((key) => node.unlink(key)));
    }
  }
}

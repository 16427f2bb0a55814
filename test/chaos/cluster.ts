// The system a chaos run attacks, in a fresh folder: its own redis-server (append-only file, fsync on
// every write) on a free loopback port, schedulers and workers of the built CLI as separate processes,
// and `regatta` commands run against them as a user runs them.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { KillLog, Supervised } from './processes.js';
import { freePort } from '../support/free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'apps/cli/dist/main.js');
export const PREFIX = 'chaos';

/**
 * appendfsync always: every write Redis acknowledged is on disk before the reply, so a SIGKILL of
 * Redis may lose nothing a client was told had happened. With everysec up to a second of acknowledged
 * writes is lost by design, and a workflow lost that way could not be told from a Regatta bug.
 */
export const REDIS_FSYNC = 'always';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosCluster {
  readonly killLog = new KillLog();
  readonly paths: { data: string; logs: string; witness: string; files: string; home: string };
  readonly redis: Supervised;
  readonly services: Supervised[];
  /** Reconnects every 200 ms and queues commands meanwhile: the harness reads through Redis restarts. */
  readonly client: Redis;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly dir: string,
    readonly port: number,
    counts: { schedulers: number; workers: number },
  ) {
    const p = (name: string) => join(dir, name);
    this.paths = { data: p('redis'), logs: p('logs'), witness: p('witness'), files: p('workflows'), home: p('home') };
    for (const path of Object.values(this.paths)) mkdirSync(path, { recursive: true });
    const url = `redis://127.0.0.1:${port}`;
    this.env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      REDIS_URL: url,
      REGATTA_PREFIX: PREFIX,
      REGATTA_SHARDS: '4',
      // Fast failover: a dead scheduler's shards move after 2 s; a dead worker's nodes after 5 s (less,
      // and a live worker on a loaded machine renews its locks late and has its nodes handed on).
      REGATTA_LEASE_MS: '2000',
      REGATTA_NODE_LOCK_MS: '5000',
      REGATTA_VOLUMES_DIR: p('volumes'),
      REGATTA_ARTIFACTS_DIR: p('artifacts'),
      // Workers that require an allow-list for hostPath volumes get the run record's folder.
      REGATTA_HOSTPATH_ALLOW: this.paths.witness,
      LOG_LEVEL: 'warn',
      NO_COLOR: '1',
    };
    const redisArgs = ['--bind', '127.0.0.1', '--port', String(port), '--dir', this.paths.data, '--appendonly', 'yes', '--appendfsync', REDIS_FSYNC, '--save', '', '--maxmemory-policy', 'noeviction', '--daemonize', 'no'];
    this.redis = new Supervised({ name: 'redis', role: 'redis', command: 'redis-server', args: redisArgs, env: { PATH: this.env.PATH }, cwd: dir }, this.paths.logs, this.killLog);
    this.services = [
      ...Array.from({ length: counts.schedulers }, (_, i) => this.service('scheduler', i + 1)),
      ...Array.from({ length: counts.workers }, (_, i) => this.service('worker', i + 1)),
    ];
    this.client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
    this.client.on('error', () => {});
  }

  /** Starts Redis and waits for it to answer; the services start with `startServices`. */
  static async start(seed: number, counts: { schedulers: number; workers: number }): Promise<ChaosCluster> {
    const cluster = new ChaosCluster(mkdtempSync(join(tmpdir(), `regatta-chaos-${seed}-`)), await freePort(), counts);
    cluster.redis.start();
    const answered = cluster.client.ping();
    const late = sleep(15_000).then(() => Promise.reject(new Error(`redis-server did not answer on ${cluster.port}: ${cluster.logTail('redis')}`)));
    await Promise.race([answered, late]);
    return cluster;
  }

  get all(): Supervised[] {
    return [this.redis, ...this.services];
  }

  startServices(): void {
    for (const s of this.services) s.start();
  }

  /** Runs `regatta <args>` against the run's Redis; SIGKILLed after `timeoutMs`. */
  cli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...this.env, HOME: this.paths.home }, detached: true });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), timeoutMs);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr: signal ? `${stderr}(killed by ${signal} after ${timeoutMs} ms)` : stderr });
      });
    });
  }

  logTail(process: string, lines = 15): string {
    try {
      return readFileSync(join(this.paths.logs, `${process}.log`), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
    for (const s of this.services) await s.close();
    await this.redis.close();
  }

  private service(role: 'scheduler' | 'worker', index: number): Supervised {
    const name = `${role}-${index}`;
    // A worker's HOME reaches its nodes' environment: the run record names the worker by it.
    const home = join(this.paths.home, name);
    mkdirSync(home, { recursive: true });
    const args = role === 'worker' ? [CLI, 'worker', '--concurrency', '8'] : [CLI, 'scheduler'];
    return new Supervised({ name, role, command: process.execPath, args, env: { ...this.env, HOME: home }, cwd: ROOT }, this.paths.logs, this.killLog);
  }
}


// Settings every command shares, read from the environment once at start.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CliConfig {
  redisUrl: string;
  /** Set explicitly (flag or REDIS_URL): then `run` never starts a Redis of its own. */
  redisUrlExplicit: boolean;
  prefix: string;
  shards: number;
  logLevel: string;
  leaseMs: number;
  /** How soon a crashed worker's nodes go to another worker (BullMQ's lock duration). */
  nodeLockMs?: number;
  /** The local artifact repository, a folder the workers of one host share. */
  artifactsDir: string;
  /** Persistent volume claims of local mode, a folder the workers of one host share. */
  volumesDir: string;
  /** How long a workflow-defined metric's label set is served without an update (Argo's `metricsTTL`). */
  metricsTtlMs?: number;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const shards = Number(env.REGATTA_SHARDS ?? 16);
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new Error(`REGATTA_SHARDS must be an integer from 1 to 1024, got "${env.REGATTA_SHARDS}"`);
  }
  return {
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: env.REDIS_URL !== undefined,
    prefix: env.REGATTA_PREFIX ?? 'regatta',
    shards,
    logLevel: env.LOG_LEVEL ?? 'info',
    leaseMs: positiveInteger(env, 'REGATTA_LEASE_MS', 10_000),
    artifactsDir: resolve(env.REGATTA_ARTIFACTS_DIR || join(tmpdir(), 'regatta-artifacts')),
    volumesDir: resolve(env.REGATTA_VOLUMES_DIR || join(tmpdir(), 'regatta-volumes')),
    ...(env.REGATTA_NODE_LOCK_MS !== undefined && { nodeLockMs: positiveInteger(env, 'REGATTA_NODE_LOCK_MS', 30_000) }),
    ...(env.REGATTA_METRICS_TTL_MS !== undefined && { metricsTtlMs: positiveInteger(env, 'REGATTA_METRICS_TTL_MS', 600_000) }),
  };
}

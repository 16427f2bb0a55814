// Settings every command shares, read from the environment once at start.
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TtlStrategy } from '@regatta/engine';
import { parseDefaultTtlStrategy } from './retention.js';
import { resolveRedisUrl } from '@regatta/store';
// The policy's module alone: the executors themselves load only in a worker.
import { egressPolicyFromEnv, type EgressPolicy } from '@regatta/executors/egress-policy';

export interface CliConfig {
  /** With the credentials of REDIS_USERNAME/REDIS_PASSWORD written in: never show it unredacted. */
  redisUrl: string;
  /** Named by the operator (REDIS_URL or credentials for it): `run` uses it and starts no Redis of its own. */
  redisUrlExplicit: boolean;
  prefix: string;
  shards: number;
  logLevel: string;
  leaseMs: number;
  /** How soon a crashed worker's nodes go to another worker (BullMQ's lock duration). */
  nodeLockMs?: number;
  /** REGATTA_LOG_NODE_BYTES / REGATTA_LOG_WORKFLOW_BYTES: output bytes kept per node and per workflow. */
  logLimits: { nodeBytes?: number; workflowBytes?: number };
  /** The local artifact repository, a folder the workers of one host share. */
  artifactsDir: string;
  /** Persistent volume claims of local mode, a folder the workers of one host share. */
  volumesDir: string;
  /** How long finished workflows are kept when they do not say (Argo's workflowDefaults ttlStrategy). */
  defaultTtlStrategy: TtlStrategy;
  /** Where `--metrics-port` listens: loopback unless told (a container's needs 0.0.0.0). */
  metricsAddress: string;
  /** Where HTTP templates may not go: REGATTA_HTTP_DENY and REGATTA_HTTP_ALLOW. */
  httpEgress: EgressPolicy;
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

/** An address to listen on, as `--metrics-address` or REGATTA_METRICS_ADDRESS gives it. */
export function listenAddress(value: string, name: string): string {
  if (isIP(value) === 0) throw new Error(`${name} must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got "${value}"`);
  return value;
}

function redisUrl(env: NodeJS.ProcessEnv): string {
  try {
    return resolveRedisUrl(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { username: env.REDIS_USERNAME, password: env.REDIS_PASSWORD });
  } catch (error) {
    throw new Error(`REDIS_URL ${(error as Error).message}`);
  }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const shards = Number(env.REGATTA_SHARDS ?? 16);
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new Error(`REGATTA_SHARDS must be an integer from 1 to 1024, got "${env.REGATTA_SHARDS}"`);
  }
  return {
    redisUrl: redisUrl(env),
    redisUrlExplicit: env.REDIS_URL !== undefined || env.REDIS_USERNAME !== undefined || env.REDIS_PASSWORD !== undefined,
    prefix: env.REGATTA_PREFIX ?? 'regatta',
    shards,
    logLevel: env.LOG_LEVEL ?? 'info',
    leaseMs: positiveInteger(env, 'REGATTA_LEASE_MS', 10_000),
    artifactsDir: resolve(env.REGATTA_ARTIFACTS_DIR || join(tmpdir(), 'regatta-artifacts')),
    volumesDir: resolve(env.REGATTA_VOLUMES_DIR || join(tmpdir(), 'regatta-volumes')),
    defaultTtlStrategy: parseDefaultTtlStrategy(env.REGATTA_DEFAULT_TTL_STRATEGY),
    metricsAddress: listenAddress(env.REGATTA_METRICS_ADDRESS ?? '127.0.0.1', 'REGATTA_METRICS_ADDRESS'),
    httpEgress: egressPolicyFromEnv(env),
    logLimits: {
      ...(env.REGATTA_LOG_NODE_BYTES !== undefined && { nodeBytes: positiveInteger(env, 'REGATTA_LOG_NODE_BYTES', 0) }),
      ...(env.REGATTA_LOG_WORKFLOW_BYTES !== undefined && { workflowBytes: positiveInteger(env, 'REGATTA_LOG_WORKFLOW_BYTES', 0) }),
    },
    ...(env.REGATTA_NODE_LOCK_MS !== undefined && { nodeLockMs: positiveInteger(env, 'REGATTA_NODE_LOCK_MS', 30_000) }),
    ...(env.REGATTA_METRICS_TTL_MS !== undefined && { metricsTtlMs: positiveInteger(env, 'REGATTA_METRICS_TTL_MS', 600_000) }),
  };
}

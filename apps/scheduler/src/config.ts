// A scheduler's settings, from its environment (validated at start; a refusal names the variable).
import { z } from 'zod';
// The archive's settings module alone: reading settings loads no PostgreSQL client.
import { readArchiveConfig, type ArchiveConfig } from '@regatta/archive/config';
import type { TtlStrategy } from '@regatta/engine';
import { hostFolder, positiveInteger, readEnv, readServiceConfig, type ServiceConfig } from '@regatta/service/env';
import { parseDefaultTtlStrategy } from './retention.js';

export interface SchedulerConfig extends ServiceConfig {
  /** Shards of a new instance (REGATTA_SHARDS); an existing instance keeps its own. */
  shards: number;
  leaseMs: number;
  /** Persistent volume claims of local mode, a folder the workers of one host share. */
  volumesDir: string;
  /** The local artifact store's folder (the workers' REGATTA_ARTIFACTS_DIR), where artifactGC deletes local artifacts. */
  artifactsDir: string;
  /** How long finished workflows are kept when they do not say (Argo's workflowDefaults ttlStrategy). */
  defaultTtlStrategy: TtlStrategy;
  /** How long a workflow-defined metric's label set is served without an update (Argo's `metricsTTL`). */
  metricsTtlMs?: number;
  /** Where ended workflows are archived (ARCHIVE_DATABASE_URL and REGATTA_ARCHIVE_*); none when unset. */
  archive?: ArchiveConfig;
}

const schedulerEnv = z
  .object({
    REGATTA_SHARDS: z
      .string()
      .optional()
      .refine((raw) => raw === undefined || (Number.isInteger(Number(raw)) && Number(raw) >= 1 && Number(raw) <= 1024), {
        error: (issue) => `REGATTA_SHARDS must be an integer from 1 to 1024, got "${String(issue.input)}"`,
      }),
    REGATTA_LEASE_MS: positiveInteger('REGATTA_LEASE_MS'),
    REGATTA_VOLUMES_DIR: hostFolder('regatta-volumes'),
    REGATTA_ARTIFACTS_DIR: hostFolder('regatta-artifacts'),
    REGATTA_DEFAULT_TTL_STRATEGY: z.string().optional(),
    REGATTA_METRICS_TTL_MS: positiveInteger('REGATTA_METRICS_TTL_MS'),
  })
  .transform((env, ctx) => {
    let defaultTtlStrategy: TtlStrategy;
    try {
      defaultTtlStrategy = parseDefaultTtlStrategy(env.REGATTA_DEFAULT_TTL_STRATEGY);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return {
      shards: Number(env.REGATTA_SHARDS ?? 16),
      leaseMs: env.REGATTA_LEASE_MS ?? 10_000,
      volumesDir: env.REGATTA_VOLUMES_DIR,
      artifactsDir: env.REGATTA_ARTIFACTS_DIR,
      defaultTtlStrategy,
      ...(env.REGATTA_METRICS_TTL_MS !== undefined && { metricsTtlMs: env.REGATTA_METRICS_TTL_MS }),
    };
  });

export function readSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const archive = readArchiveConfig(env);
  return { ...readServiceConfig(env), ...readEnv(schedulerEnv, env), ...(archive && { archive }) };
}

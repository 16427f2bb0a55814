// A worker's settings, from its environment (validated at start; a refusal names the variable).
import { z } from 'zod';
import { egressPolicyFromEnv, type EgressPolicy } from '@regatta/executors/egress-policy';
import { hostFolder, positiveInteger, readEnv, readServiceConfig, type ServiceConfig } from '@regatta/service/env';
import { SecretsKeySource } from '@regatta/store';
import { readKubernetesSettings, type KubernetesSettings } from './kubernetes-settings.js';

export const EXECUTORS = ['local', 'kubernetes', 'noop'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export interface WorkerConfig extends ServiceConfig {
  /** REGATTA_EXECUTOR: local, kubernetes (a pod per node), or noop (finishes every node at once: for benchmarks and dry runs). */
  executor: ExecutorName;
  /** REGATTA_CONCURRENCY: nodes run at once. */
  concurrency: number;
  /** How soon a crashed worker's nodes go to another worker (BullMQ's lock duration). */
  nodeLockMs?: number;
  /** REGATTA_LOG_NODE_BYTES / REGATTA_LOG_WORKFLOW_BYTES: output bytes kept per node and per workflow. */
  logLimits: { nodeBytes?: number; workflowBytes?: number };
  /** The local artifact repository, a folder the workers of one host share. */
  artifactsDir: string;
  /** Persistent volume claims of local mode, a folder the workers of one host share. */
  volumesDir: string;
  /** Where HTTP templates may not go: REGATTA_HTTP_DENY and REGATTA_HTTP_ALLOW. */
  httpEgress: EgressPolicy;
  /** The kubernetes executor's cluster, namespace, rate limit and image. */
  kubernetes: KubernetesSettings;
  /** REGATTA_SECRETS_KEY or REGATTA_SECRETS_KEY_FILE: checked when a node first reads a Secret, not at start. */
  secretsKey: SecretsKeySource;
}

/** The executor named, or a refusal naming where the name came from. */
export function executorName(value: string, name: string): ExecutorName {
  if ((EXECUTORS as readonly string[]).includes(value)) return value as ExecutorName;
  throw new Error(`unknown executor "${value}" in ${name}: use local, kubernetes or noop`);
}

const workerEnv = z
  .object({
    REGATTA_EXECUTOR: z.string().optional(),
    REGATTA_CONCURRENCY: positiveInteger('REGATTA_CONCURRENCY'),
    REGATTA_NODE_LOCK_MS: positiveInteger('REGATTA_NODE_LOCK_MS'),
    REGATTA_LOG_NODE_BYTES: positiveInteger('REGATTA_LOG_NODE_BYTES'),
    REGATTA_LOG_WORKFLOW_BYTES: positiveInteger('REGATTA_LOG_WORKFLOW_BYTES'),
    REGATTA_ARTIFACTS_DIR: hostFolder('regatta-artifacts'),
    REGATTA_VOLUMES_DIR: hostFolder('regatta-volumes'),
  })
  .transform((env, ctx) => {
    let executor: ExecutorName;
    try {
      executor = executorName(env.REGATTA_EXECUTOR ?? 'local', 'REGATTA_EXECUTOR');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return {
      executor,
      concurrency: env.REGATTA_CONCURRENCY ?? 16,
      ...(env.REGATTA_NODE_LOCK_MS !== undefined && { nodeLockMs: env.REGATTA_NODE_LOCK_MS }),
      logLimits: {
        ...(env.REGATTA_LOG_NODE_BYTES !== undefined && { nodeBytes: env.REGATTA_LOG_NODE_BYTES }),
        ...(env.REGATTA_LOG_WORKFLOW_BYTES !== undefined && { workflowBytes: env.REGATTA_LOG_WORKFLOW_BYTES }),
      },
      artifactsDir: env.REGATTA_ARTIFACTS_DIR,
      volumesDir: env.REGATTA_VOLUMES_DIR,
    };
  });

export function readWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return { ...readServiceConfig(env), ...readEnv(workerEnv, env), httpEgress: egressPolicyFromEnv(env), kubernetes: readKubernetesSettings(env), secretsKey: SecretsKeySource.fromEnv(env) };
}

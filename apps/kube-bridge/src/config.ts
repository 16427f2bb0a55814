// The bridge's settings, from its environment (validated at start; a refusal names the variable).
import { z } from 'zod';
import { readEnv, readServiceConfig, type ServiceConfig } from '@regatta/service';

export interface BridgeConfig extends ServiceConfig {
  /** REGATTA_KUBECONFIG: the cluster; unset, the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** REGATTA_BRIDGE_NAMESPACE: the Workflow objects of this namespace only; unset, of every namespace. */
  namespace?: string;
  /** REGATTA_SHARDS: the shard count written on the first submission, when the instance has none yet. */
  shards: number;
}

const bridgeEnv = z
  .object({
    REGATTA_KUBECONFIG: z.string().optional(),
    REGATTA_BRIDGE_NAMESPACE: z.string().optional(),
    REGATTA_SHARDS: z
      .string()
      .optional()
      .refine((raw) => raw === undefined || (Number.isInteger(Number(raw)) && Number(raw) >= 1 && Number(raw) <= 1024), {
        error: (issue) => `REGATTA_SHARDS must be an integer from 1 to 1024, got "${String(issue.input)}"`,
      }),
  })
  .transform((env) => ({
    ...(env.REGATTA_KUBECONFIG && { kubeconfig: env.REGATTA_KUBECONFIG }),
    ...(env.REGATTA_BRIDGE_NAMESPACE && { namespace: env.REGATTA_BRIDGE_NAMESPACE }),
    shards: Number(env.REGATTA_SHARDS ?? 16),
  }));

export function readBridgeConfig(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  return { ...readServiceConfig(env), ...readEnv(bridgeEnv, env) };
}

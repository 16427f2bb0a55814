// The Kubernetes executor's settings, from the environment (`regatta worker`'s flags override them):
// which cluster, which namespace, how fast to call its API, which image holds Regatta's launcher
// (docs/kubernetes-executor.md). The executor they make is kubernetes-executor.ts's, so that reading
// settings (every CLI command does) loads no Kubernetes client.
import { z } from 'zod';
import type { ImageCommand } from '@regatta/executors';
import { positiveInteger, readEnv } from '@regatta/service/env';

export interface KubernetesSettings {
  /** REGATTA_KUBECONFIG: the cluster; unset, the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config. In local mode, set, it gives resource templates their API (docs/resource-templates.md). */
  kubeconfig?: string;
  /** REGATTA_KUBE_NAMESPACE: every pod there; unset, each in its workflow's namespace. */
  namespace?: string;
  /** REGATTA_KUBE_QPS / REGATTA_KUBE_BURST: the client-side rate limit (Argo's 20 and 30). */
  qps: number;
  burst: number;
  /** REGATTA_EXECUTOR_IMAGE: Regatta's image, which runs each pod's regatta-init and wait containers. */
  executorImage?: string;
  /** REGATTA_IMAGE_COMMANDS: by image, the ENTRYPOINT and CMD of a container that gives no command (Argo's `images`). */
  imageCommands?: Record<string, ImageCommand>;
  /** REGATTA_KUBE_ARTIFACTS_HOST_PATH: the local artifact store's folder on the node, mounted by hostPath into pods that move artifacts (a single-node cluster; several nodes need a shared store). */
  artifactsHostPath?: string;
}

const imageCommandsSchema = z.record(z.string(), z.object({ entrypoint: z.array(z.string()), cmd: z.array(z.string()).optional() }).strict());

/** JSON `{"<image>": {"entrypoint": [...], "cmd": [...]}}`; unset gives undefined. */
const imageCommandsEnv = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `REGATTA_IMAGE_COMMANDS must be JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    const parsed = imageCommandsSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    ctx.addIssue({ code: 'custom', message: `REGATTA_IMAGE_COMMANDS${issue?.path.map((key) => `.${String(key)}`).join('') ?? ''}: ${issue?.message ?? 'bad value'} (expected {"<image>": {"entrypoint": [...], "cmd": [...]}})` });
    return z.NEVER;
  });

const kubernetesEnv = z
  .object({
    REGATTA_KUBECONFIG: z.string().optional(),
    REGATTA_KUBE_NAMESPACE: z.string().optional(),
    REGATTA_KUBE_QPS: positiveInteger('REGATTA_KUBE_QPS'),
    REGATTA_KUBE_BURST: positiveInteger('REGATTA_KUBE_BURST'),
    REGATTA_EXECUTOR_IMAGE: z.string().optional(),
    REGATTA_IMAGE_COMMANDS: imageCommandsEnv,
    REGATTA_KUBE_ARTIFACTS_HOST_PATH: z.string().startsWith('/', 'REGATTA_KUBE_ARTIFACTS_HOST_PATH must be an absolute path').optional(),
  })
  .transform((env) => ({
    ...(env.REGATTA_KUBECONFIG && { kubeconfig: env.REGATTA_KUBECONFIG }),
    ...(env.REGATTA_KUBE_NAMESPACE && { namespace: env.REGATTA_KUBE_NAMESPACE }),
    qps: env.REGATTA_KUBE_QPS ?? 20,
    burst: env.REGATTA_KUBE_BURST ?? 30,
    ...(env.REGATTA_EXECUTOR_IMAGE && { executorImage: env.REGATTA_EXECUTOR_IMAGE }),
    ...(env.REGATTA_IMAGE_COMMANDS && { imageCommands: env.REGATTA_IMAGE_COMMANDS }),
    ...(env.REGATTA_KUBE_ARTIFACTS_HOST_PATH && { artifactsHostPath: env.REGATTA_KUBE_ARTIFACTS_HOST_PATH }),
  }));

export function readKubernetesSettings(env: NodeJS.ProcessEnv = process.env): KubernetesSettings {
  return readEnv(kubernetesEnv, env);
}

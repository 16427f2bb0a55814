// `regatta worker --executor kubernetes`'s flags: each overrides its environment variable
// (apps/worker/src/kubernetes-settings.ts).
import type { Command } from 'commander';
import { positiveInteger, readEnv } from '@regatta/service';
import type { KubernetesSettings } from '@regatta/worker';

export interface KubernetesFlags {
  kubeconfig?: string;
  namespace?: string;
  qps?: number;
  burst?: number;
  executorImage?: string;
}

const count = (flag: string) => (value: string) => readEnv(positiveInteger(flag), value);

export function addKubernetesFlags(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'the cluster of --executor kubernetes and of resource templates (default REGATTA_KUBECONFIG; with --executor kubernetes, else in-cluster, else $KUBECONFIG or ~/.kube/config)')
    .option('--namespace <namespace>', "with --executor kubernetes: run every pod in <namespace> (default REGATTA_KUBE_NAMESPACE, else each in its workflow's)")
    .option('--qps <n>', 'with --executor kubernetes: API requests a second (default REGATTA_KUBE_QPS, else 20, as Argo)', count('--qps'))
    .option('--burst <n>', 'with --executor kubernetes: API requests at once above --qps (default REGATTA_KUBE_BURST, else 30, as Argo)', count('--burst'))
    .option('--executor-image <image>', "with --executor kubernetes: Regatta's image, for each pod's regatta-init and wait containers (default REGATTA_EXECUTOR_IMAGE)");
}

export function withKubernetesFlags(settings: KubernetesSettings, flags: KubernetesFlags): KubernetesSettings {
  return {
    ...settings,
    ...(flags.kubeconfig && { kubeconfig: flags.kubeconfig }),
    ...(flags.namespace && { namespace: flags.namespace }),
    ...(flags.qps !== undefined && { qps: flags.qps }),
    ...(flags.burst !== undefined && { burst: flags.burst }),
    ...(flags.executorImage && { executorImage: flags.executorImage }),
  };
}

// `regatta worker --executor kubernetes`: the flags that say which cluster, which namespace, how fast to
// call its API, and which image holds Regatta's launcher; and the executor they make.
import type { Command } from 'commander';
import { KubernetesExecutor } from '@regatta/executors';
import type { Logger } from '@regatta/telemetry';

export interface KubernetesFlags {
  kubeconfig?: string;
  namespace?: string;
  qps?: string;
  burst?: string;
  executorImage?: string;
}

export function addKubernetesFlags(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'with --executor kubernetes: the cluster to run pods in (default: in-cluster, else $KUBECONFIG or ~/.kube/config)')
    .option('--namespace <namespace>', "with --executor kubernetes: run every pod in <namespace> (default: each in its workflow's namespace)")
    .option('--qps <n>', 'with --executor kubernetes: API requests a second, client-side (Argo: 20)', '20')
    .option('--burst <n>', 'with --executor kubernetes: API requests allowed at once above --qps (Argo: 30)', '30')
    .option('--executor-image <image>', "with --executor kubernetes: Regatta's image, which runs each pod's regatta-init and wait containers (default REGATTA_EXECUTOR_IMAGE)");
}

export function kubernetesExecutor(flags: KubernetesFlags, logger: Logger): KubernetesExecutor {
  const executorImage = flags.executorImage ?? process.env.REGATTA_EXECUTOR_IMAGE;
  if (!executorImage) throw new Error('--executor kubernetes needs --executor-image (or REGATTA_EXECUTOR_IMAGE): the image with regatta-launcher');
  return new KubernetesExecutor({
    executorImage,
    kubeconfig: flags.kubeconfig,
    namespace: flags.namespace,
    qps: positive(flags.qps ?? '20', '--qps'),
    burst: positive(flags.burst ?? '30', '--burst'),
    warn: (message) => logger.warn(message),
  });
}

function positive(value: string, flag: string): number {
  const number = Number(value);
  if (!(number > 0)) throw new Error(`${flag} must be a number above 0, got "${value}"`);
  return number;
}

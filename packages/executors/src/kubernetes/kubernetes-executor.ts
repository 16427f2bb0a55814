// `regatta worker --executor kubernetes`: each node runs as a pod (buildPod), created once under its
// deterministic name (a 409 adopts the pod a crashed attempt made), followed through ONE shared
// informer, ended by Argo's rules (pod-status.ts), with the outputs the `wait` container left on the
// pod (pod-outputs.ts). Stopping a node deletes its pod with a grace period.
import type { V1Pod } from '@kubernetes/client-node';
import { argoTime, type NodeJob } from '@regatta/spec';
import { abortMessage } from '../abort-message.js';
import type { Executor, NodeRunResult, RunContext } from '../executor.js';
import { KubeClient, type KubeClientOptions } from './kube-client.js';
import { LABEL_COMPLETED } from './labels.js';
import { buildPod, type PodOptions } from './pod.js';
import { PodBuildError } from './pod-build-error.js';
import { PodInformer } from './pod-informer.js';
import { followPod } from './pod-run.js';

/** Regatta's own pods carry this label; the informer watches only them. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'regatta';

export interface KubernetesExecutorOptions extends PodOptions, KubeClientOptions {
  /** Every pod in this namespace; else each in its workflow's namespace (the informer then watches all). */
  namespace?: string;
  /** How long a stopped node's containers get between SIGTERM and SIGKILL (default 30 s, Kubernetes' own). */
  deleteGracePeriodSeconds?: number;
  /** How long the wait container has to report once the main containers ended (default 60 s); then the pod is deleted and the node ends in Error. */
  reportGraceSeconds?: number;
  /** Follow the containers' logs into the node's log (pods/log); default true. */
  streamLogs?: boolean;
  warn?: (message: string) => void;
}

export class KubernetesExecutor implements Executor {
  readonly name = 'kubernetes';
  readonly client: KubeClient;
  readonly informer: PodInformer;

  constructor(private readonly options: KubernetesExecutorOptions, client?: KubeClient) {
    this.client = client ?? new KubeClient(options);
    // Ended pods leave the cache once labelled completed, so it holds the live pods only.
    const labelSelector = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_COMPLETED}!=true`;
    this.informer = new PodInformer(this.client, { namespace: options.namespace, labelSelector, warn: options.warn });
  }

  async run(job: NodeJob, context: RunContext): Promise<NodeRunResult> {
    const startedAt = argoTime();
    let pod: V1Pod;
    try {
      pod = this.podFor(job);
    } catch (error) {
      if (!(error instanceof PodBuildError)) throw error;
      return { phase: 'Error', message: error.message, outputs: {}, startedAt, finishedAt: argoTime() };
    }
    if (context.signal.aborted) return { phase: 'Failed', message: abortMessage(context.signal), outputs: {}, startedAt, finishedAt: startedAt };
    await this.informer.start();
    return followPod(this.client, this.informer, pod, job, context, {
      startedAt,
      gracePeriodSeconds: this.options.deleteGracePeriodSeconds ?? 30,
      reportGraceMs: (this.options.reportGraceSeconds ?? 60) * 1000,
      streamLogs: this.options.streamLogs ?? true,
      warn: this.options.warn ?? (() => {}),
    });
  }

  /** Stops the informer; runs still waiting then wait for nothing, so close the worker first. */
  close(): void {
    this.informer.close();
  }

  private podFor(job: NodeJob): V1Pod {
    const pod = buildPod(job, this.options);
    const metadata = pod.metadata!;
    if (this.options.namespace) metadata.namespace = this.options.namespace;
    metadata.labels = { ...metadata.labels, [LABEL_MANAGED_BY]: MANAGED_BY };
    return pod;
  }
}

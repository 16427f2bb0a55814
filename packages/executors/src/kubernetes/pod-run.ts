// One node's pod from creation to its end: subscribe to the shared informer first (so no change is
// missed), create the pod (409: adopt the pod of that name, after checking it is this node's), then
// follow its changes until it ends, is deleted, or the run is stopped (delete with a grace period).
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import { argoTime, type ContainerResult, type NodeJob } from '@regatta/spec';
import { abortMessage } from '../abort-message.js';
import type { NodeRunResult, RunContext } from '../executor.js';
import { backoffMs, statusCode } from './api-retry.js';
import { MERGE_PATCH, type KubeClient } from './kube-client.js';
import { ANNOTATION_NODE_ID, LABEL_COMPLETED } from './labels.js';
import { decodeOutputs } from './pod-outputs.js';
import { followLogs, type LogStreams } from './pod-logs.js';
import type { PodInformer, PodEventType } from './pod-informer.js';
import { assessPod, POD_DELETED } from './pod-status.js';

export interface FollowOptions {
  startedAt: string;
  gracePeriodSeconds: number;
  /** How long the wait container has to report once the main containers ended, before the pod is deleted. */
  reportGraceMs: number;
  streamLogs: boolean;
  warn: (message: string) => void;
}

/** A node's end, timed from the run's start: the fields that vary. */
type End = (result: Omit<NodeRunResult, 'startedAt' | 'finishedAt' | 'outputs'> & { outputs?: NodeRunResult['outputs'] }) => NodeRunResult;

/** The backoff while a ResourceQuota refuses the pod: from half a second up to 30 s. */
const QUOTA_RETRY_BASE_MS = 500;
const QUOTA_RETRY_MAX_MS = 30_000;

/** How long a pod's log streams may lag behind its end before they are cut. */
const LOG_DRAIN_MS = 2000;

/** The node's main containers: `main`, or the containerSet's members. */
export function mainContainerNames(job: NodeJob): string[] {
  return job.containerSet ? job.containerSet.containers.map((container) => container.name) : ['main'];
}

export async function followPod(client: KubeClient, informer: PodInformer, pod: V1Pod, job: NodeJob, context: RunContext, options: FollowOptions): Promise<NodeRunResult> {
  const namespace = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  const mains = mainContainerNames(job);
  const outputContainer = mains.includes('main') ? 'main' : mains.at(-1)!;
  const sidecars = (job.sidecars ?? []).map((sidecar) => sidecar.name ?? 'main');
  // The Kubernetes node the pod was scheduled on (Argo's hostNodeName: retries' nodeAntiAffinity avoids it).
  let hostNodeName: string | undefined;
  const ended: End = (result) => ({
    outputs: {},
    ...result,
    ...(hostNodeName !== undefined && { hostNodeName }),
    startedAt: options.startedAt,
    finishedAt: argoTime(),
  });

  let logs: LogStreams | undefined;
  let started = false;
  let settle!: (result: NodeRunResult) => void;
  const done = new Promise<NodeRunResult>((resolve) => (settle = resolve));
  let finished = false;
  const finish = (result: NodeRunResult) => {
    if (finished) return;
    finished = true;
    settle(result);
  };

  // The pod runs on while its wait container does: one that never reports (it crashed, or the launcher could
  // not start in the main container's image) must not hold the node forever.
  let reportTimer: NodeJS.Timeout | undefined;
  const awaitReport = (current: V1Pod) => {
    const statuses = current.status?.containerStatuses ?? [];
    const terminated = mains.map((main) => statuses.find((status) => status.name === main)?.state?.terminated);
    if (reportTimer || terminated.some((state) => !state)) return;
    reportTimer = setTimeout(() => {
      const output = terminated[mains.indexOf(outputContainer)]!;
      const how = `${output.reason ?? 'Error'} (exit code ${output.exitCode})${output.message ? `: ${output.message.trim()}` : ''}`;
      finish(ended({ phase: 'Error', message: `container "${outputContainer}" ended, ${how}, but the wait container did not report within ${options.reportGraceMs / 1000} s` }));
      deletePod();
    }, options.reportGraceMs);
  };

  const onPod = (type: PodEventType, current: V1Pod) => {
    if (finished) return;
    hostNodeName = current.spec?.nodeName || hostNodeName;
    const assessment = assessPod(current, mains, outputContainer);
    if (assessment.state === 'Ended') return finish(resultOf(current, assessment, job, mains, ended));
    if (type === 'DELETED') return void confirmDeleted();
    if (assessment.state === 'Running') awaitReport(current);
    if (assessment.state === 'Running' && !started) {
      started = true;
      context.onStarted?.();
      if (options.streamLogs) {
        logs = followLogs(client, { namespace, name }, [...mains.map((container) => ({ name: container })), ...sidecars.map((sidecar) => ({ name: sidecar, prefix: sidecar }))], (line) => context.onLog('stdout', line), options.warn);
      }
    }
  };

  // The informer also drops a pod that leaves its selector (labelled completed by another worker that
  // followed it too): only the API server can say whether it is gone, or ended.
  const confirmDeleted = async () => {
    const current = await client.call((core) => core.readNamespacedPod({ namespace, name })).catch((error: unknown) => {
      if (statusCode(error) !== 404) options.warn(`reading pod ${namespace}/${name}: ${(error as Error).message}`);
      return undefined;
    });
    const assessment = current && assessPod(current, mains, outputContainer);
    if (current && assessment?.state === 'Ended') return finish(resultOf(current, assessment, job, mains, ended));
    finish(context.signal.aborted ? ended({ phase: 'Failed', message: abortMessage(context.signal) }) : ended({ phase: 'Error', message: POD_DELETED }));
  };
  const unsubscribe = informer.subscribe(namespace, name, onPod);
  const deletePod = () =>
    client
      .call((core) => core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: options.gracePeriodSeconds }))
      .then(
        () => undefined,
        (error: unknown) => {
          if (statusCode(error) !== 404) options.warn(`deleting pod ${namespace}/${name}: ${(error as Error).message}`);
        },
      );
  // The pod is going: its outputs no longer matter, so the node ends now rather than after the grace period.
  const onAbort = () => void deletePod().then(() => finish(ended({ phase: 'Failed', message: abortMessage(context.signal) })));
  try {
    const created = await createOrAdopt(client, pod, job, context.signal);
    if (typeof created === 'string') return ended(context.signal.aborted ? { phase: 'Failed', message: abortMessage(context.signal) } : { phase: 'Error', message: created });
    context.signal.addEventListener('abort', onAbort, { once: true });
    if (context.signal.aborted) onAbort();
    // The informer may have seen the pod's latest state before we subscribed (an adopted pod), or never will
    // where it ended before the list: start from the freshest of the two.
    const cached = informer.get(namespace, name);
    onPod('MODIFIED', newer(cached, created));
    const result = await done;
    if (logs) {
      await Promise.race([logs.ended, new Promise((resolve) => setTimeout(resolve, LOG_DRAIN_MS))]);
      logs.stop();
    }
    if (result.phase !== 'Failed' || !context.signal.aborted) await markCompleted(client, namespace, name, options.warn);
    return result;
  } finally {
    clearTimeout(reportTimer);
    unsubscribe();
    context.signal.removeEventListener('abort', onAbort);
    logs?.stop();
  }
}

/**
 * The pod as created, or as found under its name (409); a string says why the found one is not ours, or
 * why none could be made. A namespace's ResourceQuota refusing the pod (403 "exceeded quota") is waited
 * out, as Argo leaves such a node Pending, until the run is stopped.
 */
async function createOrAdopt(client: KubeClient, pod: V1Pod, job: NodeJob, signal: AbortSignal): Promise<V1Pod | string> {
  const namespace = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.call((core) => core.createNamespacedPod({ namespace, body: pod }));
    } catch (error) {
      const code = statusCode(error);
      if (code === 409) break;
      if (code === 403 && /exceeded quota/.test(apiMessage(error)) && !signal.aborted) {
        await sleep(backoffMs(attempt, QUOTA_RETRY_BASE_MS, QUOTA_RETRY_MAX_MS), undefined, { signal }).catch(() => undefined);
        if (!signal.aborted) continue;
      }
      if (code !== undefined && code < 500) return `cannot create pod ${namespace}/${name}: ${apiMessage(error)}`;
      throw error;
    }
  }
  const existing = await client.call((core) => core.readNamespacedPod({ namespace, name }));
  const owner = existing.metadata?.annotations?.[ANNOTATION_NODE_ID];
  if (owner !== job.nodeId) return `pod ${namespace}/${name} already exists and runs node "${owner ?? 'unknown'}", not "${job.nodeId}"`;
  return existing;
}

function newer(a: V1Pod | undefined, b: V1Pod): V1Pod {
  if (!a) return b;
  return Number(a.metadata?.resourceVersion ?? 0) >= Number(b.metadata?.resourceVersion ?? 0) ? a : b;
}

/** The API server's own words for a refusal (its Status message), else the error's. */
function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  try {
    const status = typeof body === 'string' ? (JSON.parse(body) as { message?: string }) : (body as { message?: string } | undefined);
    if (status?.message) return status.message;
  } catch {
    // not a Status: fall through
  }
  return (error as Error).message;
}

/** The node's end from its ended pod: phase and exit code from the status, outputs from the wait container's report. */
function resultOf(pod: V1Pod, assessment: { phase: NodeRunResult['phase']; message?: string; exitCode?: number }, job: NodeJob, mains: string[], ended: End): NodeRunResult {
  const reported = decodeOutputs(pod.metadata?.annotations);
  // The pod status's, as Argo; the launcher's (reported) where the status lacks the container's state.
  const exitCode = assessment.exitCode ?? (reported?.exitCode !== undefined && /^\d+$/.test(reported.exitCode) ? Number(reported.exitCode) : undefined);
  const outputs: NodeRunResult['outputs'] = {
    ...(reported?.result !== undefined && { result: reported.result }),
    ...(exitCode !== undefined && { exitCode: String(exitCode) }),
    ...(reported?.parameters && { parameters: reported.parameters }),
    ...(reported?.artifacts && { artifacts: reported.artifacts }),
  };
  const containers = job.containerSet ? containerResults(pod, mains, reported?.omitted ?? []) : undefined;
  const base = { ...(exitCode !== undefined && { exitCode }), ...(containers && { containers }) };
  if (assessment.phase !== 'Succeeded') return ended({ phase: assessment.phase, ...optional(assessment.message), outputs, ...base });
  if (!reported) return ended({ phase: 'Error', message: `the wait container reported no outputs on pod ${pod.metadata?.name}`, outputs, ...base });
  if (reported.error) return ended({ phase: 'Error', message: reported.error, outputs, ...base });
  return ended({ phase: 'Succeeded', outputs, ...base });
}

function optional(message: string | undefined): { message?: string } {
  return message === undefined ? {} : { message };
}

/** A containerSet's members as their containers ended; those the wait container reported omitted did not run. */
function containerResults(pod: V1Pod, mains: string[], omitted: { name: string; dependency: string }[]): ContainerResult[] {
  return mains.map((name) => {
    const skipped = omitted.find((member) => member.name === name);
    if (skipped) return { name, phase: 'Omitted', message: `dependency "${skipped.dependency}" did not succeed` };
    const terminated = pod.status?.containerStatuses?.find((status) => status.name === name)?.state?.terminated;
    if (!terminated) return { name, phase: 'Error', message: 'the container did not run' };
    return terminated.exitCode === 0
      ? { name, phase: 'Succeeded', exitCode: 0 }
      : { name, phase: 'Failed', exitCode: terminated.exitCode, message: `${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode})` };
  });
}

/** Argo's `completed=true` label on an ended pod, for tools and pod GC label selectors; a failure only warns. */
async function markCompleted(client: KubeClient, namespace: string, name: string, warn: (message: string) => void): Promise<void> {
  try {
    await client.call((core) => core.patchNamespacedPod({ name, namespace, body: { metadata: { labels: { [LABEL_COMPLETED]: 'true' } } } }, MERGE_PATCH));
  } catch (error) {
    if (statusCode(error) !== 404) warn(`labelling pod ${namespace}/${name} completed: ${(error as Error).message}`);
  }
}

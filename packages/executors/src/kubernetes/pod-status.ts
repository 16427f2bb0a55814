// What a pod's status means for its node, by Argo's rules (operator.go assessNodeStatus and
// inferFailedReason): pure, so that the executor and its unit tests share one reading. A Pending pod
// stays Pending whatever its waiting reason (ImagePullBackOff, Unschedulable…): the reason is only the
// message, and the node's deadline ends it, as in Argo.
import type { V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { INIT_CONTAINER, WAIT_CONTAINER } from './emissary.js';
import { ANNOTATION_OUTPUTS } from './pod-outputs.js';

export type PodAssessment =
  | { state: 'Pending'; message?: string }
  | { state: 'Running' }
  | { state: 'Ended'; phase: 'Succeeded' | 'Failed' | 'Error'; message?: string; exitCode?: number };

/** The message of a node whose pod vanished after it was bound to a node (Argo's wording). */
export const POD_DELETED = 'pod deleted';

/**
 * `mains`: the pod's main containers (`main`, or the containerSet's members); the exit code is the one of
 * `outputContainer`. A running pod whose main containers all ended and whose wait container reported
 * (the outputs annotation) has ended for its node, as in Argo: a sidecar slow to stop does not hold it.
 */
export function assessPod(pod: V1Pod, mains: string[], outputContainer: string): PodAssessment {
  const status = settled(pod, mains);
  const exitCode = terminatedCode(status.containerStatuses, outputContainer);
  switch (status.phase) {
    case 'Succeeded':
      return { state: 'Ended', phase: 'Succeeded', ...(exitCode !== undefined && { exitCode }) };
    case 'Failed': {
      const { phase, message } = failedReason(status, mains);
      return { state: 'Ended', phase, message, ...(exitCode !== undefined && { exitCode }) };
    }
    case 'Running':
      return { state: 'Running' };
    default:
      return { state: 'Pending', ...optional(pendingReason(pod)) };
  }
}

function settled(pod: V1Pod, mains: string[]): V1PodStatus {
  const status = pod.status ?? {};
  if (status.phase !== 'Running' || pod.metadata?.annotations?.[ANNOTATION_OUTPUTS] === undefined) return status;
  const ended = mains.map((main) => status.containerStatuses?.find((container) => container.name === main)?.state?.terminated);
  if (ended.some((terminated) => !terminated)) return status;
  return { ...status, phase: ended.every((terminated) => terminated!.exitCode === 0) ? 'Succeeded' : 'Failed' };
}

function optional(message: string | undefined): { message?: string } {
  return message === undefined ? {} : { message };
}

function terminatedCode(statuses: V1ContainerStatus[] | undefined, name: string): number | undefined {
  return statuses?.find((status) => status.name === name)?.state?.terminated?.exitCode;
}

/** Argo's getPendingReason: the first waiting container's reason, else why the pod is not scheduled. */
export function pendingReason(pod: V1Pod): string | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const { state } of statuses) {
    const reason = state?.waiting?.reason;
    // ContainerCreating and PodInitializing are the normal way to Running, not reasons to report.
    if (reason && reason !== 'ContainerCreating' && reason !== 'PodInitializing') return state.waiting!.message ? `${reason}: ${state.waiting!.message}` : reason;
  }
  const scheduled = pod.status?.conditions?.find((condition) => condition.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason) return scheduled.message ? `${scheduled.reason}: ${scheduled.message}` : scheduled.reason;
  return undefined;
}

/**
 * Argo's inferFailedReason: a pod-level message (DeadlineExceeded, Evicted) first; then a failed init
 * container (Error, named); then the main containers (Failed with their reason and exit code, Error where
 * one never started); the wait container's failure is Error; sidecars killed by 137/143 are ignored.
 */
function failedReason(status: V1PodStatus, mains: string[]): { phase: 'Failed' | 'Error'; message: string } {
  if (status.message) return { phase: 'Failed', message: status.message };
  for (const container of status.initContainerStatuses ?? []) {
    const waiting = container.state?.waiting;
    if (waiting) return { phase: 'Error', message: `pod failed before init container "${container.name}" started: ${waiting.reason ?? 'waiting'}${waiting.message ? `: ${waiting.message}` : ''}` };
    const terminated = container.state?.terminated;
    if (terminated && terminated.exitCode !== 0) return { phase: 'Error', message: `init container "${container.name}": ${terminatedMessage(terminated)}` };
  }
  const failures: { phase: 'Failed' | 'Error'; message: string }[] = [];
  for (const container of status.containerStatuses ?? []) {
    const terminated = container.state?.terminated;
    const main = mains.includes(container.name);
    if (!terminated) {
      if (main) failures.push({ phase: 'Error', message: `pod failed before container "${container.name}" started` });
      continue;
    }
    if (terminated.exitCode === 0) continue;
    const message = terminatedMessage(terminated);
    if (main) failures.push({ phase: 'Failed', message: mains.length > 1 ? `container "${container.name}": ${message}` : message });
    else if (container.name === WAIT_CONTAINER || container.name === INIT_CONTAINER) failures.push({ phase: 'Error', message: `container "${container.name}": ${message}` });
    // A sidecar killed once the main containers ended is how sidecars stop, not a failure.
    else if (terminated.exitCode !== 137 && terminated.exitCode !== 143) failures.push({ phase: 'Failed', message: `sidecar "${container.name}": ${message}` });
  }
  // Errors before failures, main containers before sidecars: the order they were pushed in keeps the latter.
  const chosen = failures.find((failure) => failure.phase === 'Error') ?? failures[0];
  return chosen ?? { phase: 'Failed', message: 'pod failed for an unknown reason' };
}

/** As Argo: `<reason> (exit code N)`, then the container's termination message. */
function terminatedMessage(terminated: { exitCode: number; reason?: string; message?: string }): string {
  const head = `${terminated.reason ?? 'Error'} (exit code ${terminated.exitCode})`;
  return terminated.message ? `${head}: ${terminated.message.trim()}` : head;
}

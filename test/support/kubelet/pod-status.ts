// A pod's status as a kubelet writes it (a strategic merge patch of pods/status, so the scheduler's
// PodScheduled condition stays): phase, the pod's IP, its conditions and one status per container.
// Times are strings, as the API has them; a condition keeps its lastTransitionTime while its status stays.
import { argoTime } from '@regatta/spec';
import { POD_IP } from './pod-inputs.js';
import type { ContainerStatus, PodRunState } from './pod-run.js';

export interface PodCondition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
}

/** `previous`: the conditions written last, whose transition times hold where the status did not change. */
export function podStatusPatch(state: PodRunState, podUid: string, previous: PodCondition[] = []): { status: Record<string, unknown> & { conditions: PodCondition[] } } {
  const now = argoTime();
  const regular = state.containers.filter(({ init }) => !init);
  const ended = state.phase === 'Succeeded' || state.phase === 'Failed';
  const ready = !ended && regular.length > 0 && regular.every(({ state }) => 'running' in state);
  const notReady = ended ? 'PodCompleted' : 'ContainersNotReady';
  const condition = (type: string, value: boolean, reason?: string): PodCondition => {
    const status = value ? 'True' : 'False';
    const before = previous.find((c) => c.type === type && c.status === status);
    return { type, status, lastProbeTime: null, lastTransitionTime: before?.lastTransitionTime ?? now, ...(!value && reason && { reason }) };
  };
  const statuses = (init: boolean) => state.containers.filter((c) => c.init === init).map((c) => containerStatus(c, podUid));
  return {
    status: {
      phase: state.phase,
      ...(state.reason && { reason: state.reason }),
      ...(state.message && { message: state.message }),
      hostIP: POD_IP,
      podIP: POD_IP,
      podIPs: [{ ip: POD_IP }],
      startTime: state.startTime,
      conditions: [
        condition('Initialized', state.initialized, 'ContainersNotInitialized'),
        condition('Ready', ready, notReady),
        condition('ContainersReady', ready, notReady),
      ],
      initContainerStatuses: statuses(true),
      containerStatuses: statuses(false),
    },
  };
}

function containerStatus({ name, image, init, state }: ContainerStatus, podUid: string): Record<string, unknown> {
  const started = 'running' in state || 'terminated' in state;
  // An init container is ready once it has succeeded; a regular one while it runs.
  const ready = init ? 'terminated' in state && state.terminated.exitCode === 0 : 'running' in state;
  return {
    name,
    image,
    imageID: '',
    ...(started && { containerID: `regatta://${podUid}/${name}` }),
    ready,
    started: 'running' in state,
    restartCount: 0,
    state,
    lastState: {},
  };
}

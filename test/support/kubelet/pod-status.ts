// A pod's status as a kubelet writes it (a strategic merge patch of pods/status, so the scheduler's
// PodScheduled condition stays): phase, the pod's IP, its conditions and one status per container.
// Times are strings, as the API has them.
import { argoTime } from '@regatta/spec';
import { POD_IP } from './pod-inputs.js';
import type { ContainerStatus, PodRunState } from './pod-run.js';

export function podStatusPatch(state: PodRunState, podUid: string): { status: Record<string, unknown> } {
  const now = argoTime();
  const regular = state.containers.filter(({ init }) => !init);
  const ended = state.phase === 'Succeeded' || state.phase === 'Failed';
  const ready = !ended && regular.length > 0 && regular.every(({ state }) => 'running' in state);
  const notReady = ended ? 'PodCompleted' : 'ContainersNotReady';
  const condition = (type: string, status: boolean, reason?: string) => ({
    type,
    status: status ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: now,
    ...(!status && reason && { reason }),
  });
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

function containerStatus({ name, image, state }: ContainerStatus, podUid: string): Record<string, unknown> {
  const started = 'running' in state || 'terminated' in state;
  return {
    name,
    image,
    imageID: '',
    ...(started && { containerID: `regatta://${podUid}/${name}` }),
    ready: 'running' in state,
    started: 'running' in state,
    restartCount: 0,
    state,
    lastState: {},
  };
}

// Argo's reading of a pod's status (assessNodeStatus, inferFailedReason, getPendingReason), on the
// shapes a kubelet writes.
import type { V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { assessPod } from './pod-status.js';

const pod = (status: V1PodStatus): V1Pod => ({ metadata: { name: 'p' }, status });
const terminated = (name: string, exitCode: number, reason = exitCode === 0 ? 'Completed' : 'Error', message?: string): V1ContainerStatus => ({
  name,
  image: 'i',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode, reason, ...(message && { message }) } },
});
const waiting = (name: string, reason: string, message?: string): V1ContainerStatus => ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, message } } });
const running = (name: string): V1ContainerStatus => ({ name, image: 'i', imageID: '', ready: true, restartCount: 0, state: { running: {} } });
const assess = (status: V1PodStatus, mains = ['main']) => assessPod(pod(status), mains, mains.includes('main') ? 'main' : mains.at(-1)!);

describe('assessPod', () => {
  it('a succeeded pod succeeds with its main container\'s exit code', () => {
    expect(assess({ phase: 'Succeeded', containerStatuses: [terminated('wait', 0), terminated('main', 0)] })).toEqual({ state: 'Ended', phase: 'Succeeded', exitCode: 0 });
  });

  it('a main container that exits non-zero fails the node with Argo\'s message', () => {
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('wait', 0), terminated('main', 3)] })).toEqual({ state: 'Ended', phase: 'Failed', message: 'Error (exit code 3)', exitCode: 3 });
  });

  it('OOMKilled is named, with the termination message', () => {
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('wait', 0), terminated('main', 137, 'OOMKilled', 'out of memory\n')] })).toMatchObject({
      phase: 'Failed',
      message: 'OOMKilled (exit code 137): out of memory',
      exitCode: 137,
    });
  });

  it('a pod-level reason (DeadlineExceeded, Evicted) gives the pod\'s message', () => {
    const message = 'Pod was active on the node longer than the specified deadline';
    expect(assess({ phase: 'Failed', reason: 'DeadlineExceeded', message, containerStatuses: [terminated('main', 143)] })).toMatchObject({ phase: 'Failed', message });
    expect(assess({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' })).toMatchObject({ phase: 'Failed', message: 'The node was low on resource: memory.' });
  });

  it('a failed init container is an Error that names it', () => {
    expect(assess({ phase: 'Failed', initContainerStatuses: [terminated('regatta-init', 0), terminated('setup', 2)], containerStatuses: [waiting('main', 'PodInitializing')] })).toMatchObject({
      phase: 'Error',
      message: 'init container "setup": Error (exit code 2)',
    });
  });

  it('a main container that never started is an Error', () => {
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('wait', 0), waiting('main', 'ContainerCreating')] })).toMatchObject({
      phase: 'Error',
      message: 'pod failed before container "main" started',
    });
  });

  it('the wait container\'s failure is an Error; sidecars stopped by 137/143 are ignored', () => {
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('wait', 1), terminated('main', 0)] })).toMatchObject({ phase: 'Error', message: 'container "wait": Error (exit code 1)' });
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('wait', 0), terminated('main', 1), terminated('db', 143)] })).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
  });

  it('names the failed member of a containerSet', () => {
    expect(assess({ phase: 'Failed', containerStatuses: [terminated('a', 0), terminated('b', 4)] }, ['a', 'b'])).toEqual({
      state: 'Ended',
      phase: 'Failed',
      message: 'container "b": Error (exit code 4)',
      exitCode: 4,
    });
  });

  it('a pending pod stays pending with the reason it waits: image pulls, unschedulable', () => {
    expect(assess({ phase: 'Pending', containerStatuses: [waiting('main', 'ImagePullBackOff', 'Back-off pulling image "x"')] })).toEqual({
      state: 'Pending',
      message: 'ImagePullBackOff: Back-off pulling image "x"',
    });
    expect(assess({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available.' }] })).toEqual({
      state: 'Pending',
      message: 'Unschedulable: 0/1 nodes are available.',
    });
    expect(assess({ phase: 'Pending', containerStatuses: [waiting('main', 'ContainerCreating')] })).toEqual({ state: 'Pending' });
  });

  it('a running pod is running while main runs, or has ended but the wait container has not reported', () => {
    expect(assess({ phase: 'Running', containerStatuses: [running('wait'), running('main')] })).toEqual({ state: 'Running' });
    expect(assess({ phase: 'Running', containerStatuses: [running('wait'), terminated('main', 0), running('db')] })).toEqual({ state: 'Running' });
  });

  it('a running pod whose main containers ended and whose wait container reported has ended: a lingering sidecar does not hold the node', () => {
    const reported = (status: V1PodStatus, mains = ['main']) =>
      assessPod({ metadata: { name: 'p', annotations: { 'workflows.argoproj.io/outputs': '{}' } }, status }, mains, mains.includes('main') ? 'main' : mains.at(-1)!);
    expect(reported({ phase: 'Running', containerStatuses: [terminated('wait', 0), terminated('main', 0), running('db')] })).toEqual({ state: 'Ended', phase: 'Succeeded', exitCode: 0 });
    expect(reported({ phase: 'Running', containerStatuses: [running('wait'), terminated('main', 2), running('db')] })).toEqual({
      state: 'Ended',
      phase: 'Failed',
      message: 'Error (exit code 2)',
      exitCode: 2,
    });
    expect(reported({ phase: 'Running', containerStatuses: [terminated('a', 0), running('b')] }, ['a', 'b'])).toEqual({ state: 'Running' });
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: sync-}
spec:
  entrypoint: main
  priority: 3
  synchronization:
    semaphores: [{configMapKeyRef: {name: my-config, key: workflow}}]
  templates:
  - name: main
    steps:
    - - {name: locked, template: locked}
  - name: locked
    synchronization:
      mutex: {name: welcome}
    container: {image: busybox, command: ["true"]}
`;

describe('synchronization', () => {
  it('a workflow waits Pending for its semaphore, its node for its mutex, and both give them back', () => {
    const run = new Driver(yaml);
    run.state.workflow.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    const submitted = run.applyRaw({ type: 'workflowSubmitted' });
    expect(run.state.status).toMatchObject({ phase: 'Pending', message: 'Waiting for default/ConfigMap/my-config/workflow lock.' });
    expect(submitted.commands).toEqual([
      {
        type: 'acquireLocks',
        locks: [{ name: 'default/ConfigMap/my-config/workflow', configMap: { namespace: 'default', name: 'my-config', key: 'workflow' } }],
        priority: 3,
        createdAt: '2026-01-01T00:00:00Z',
      },
    ]);
    run.reload().apply({ type: 'locksAcquired' });
    expect(run.state.status.phase).toBe('Running');
    expect(run.state.status.message).toBeUndefined();
    const locked = run.node('wf[0].locked');
    expect(locked).toMatchObject({ phase: 'Pending', message: 'Waiting for default/Mutex/welcome lock.', synchronizationStatus: { waiting: 'default/Mutex/welcome' } });
    expect(run.running()).toEqual([]);
    run.reload().apply({ type: 'locksAcquired', nodeId: locked.id });
    expect(run.running()).toEqual(['locked']);
    const job = run.job('locked');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(ended.commands).toEqual([
      { type: 'releaseLocks', nodeId: locked.id, locks: [{ name: 'default/Mutex/welcome' }] },
      { type: 'releaseLocks', locks: [{ name: 'default/ConfigMap/my-config/workflow', configMap: { namespace: 'default', name: 'my-config', key: 'workflow' } }] },
    ]);
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a node stopped while it waits gives back its place, and a late grant is given back', () => {
    const run = new Driver(yaml).submit().apply({ type: 'locksAcquired' });
    const locked = run.node('wf[0].locked');
    const stopped = run.applyRaw({ type: 'control', control: { action: 'stop' } });
    expect(stopped.commands).toContainEqual({ type: 'releaseLocks', nodeId: locked.id, locks: [{ name: 'default/Mutex/welcome' }] });
    expect(run.state.status.phase).toBe('Failed');
    const late = run.applyRaw({ type: 'locksAcquired', nodeId: locked.id });
    expect(late.commands).toEqual([{ type: 'releaseLocks', nodeId: locked.id, locks: [{ name: 'default/Mutex/welcome' }] }]);
  });

  it('ends a workflow in Error when its semaphore cannot be had, and one stopped while it waits', () => {
    const refused = new Driver(yaml).submit().apply({ type: 'locksRefused', message: 'no ConfigMap' });
    expect(refused.state.status).toMatchObject({ phase: 'Error', message: 'no ConfigMap' });
    const stopped = new Driver(yaml).submit().apply({ type: 'control', control: { action: 'terminate' } });
    expect(stopped.state.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
  });
});

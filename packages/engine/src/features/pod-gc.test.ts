import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = (strategy: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: gc-}
spec:
  entrypoint: main
  podGC: {strategy: ${strategy}, labelSelector: {matchLabels: {gc: "yes"}}}
  templates:
  - name: main
    steps:
    - - {name: kept, template: kept}
      - {name: collected, template: collected}
  - name: kept
    container: {image: busybox, command: ["true"]}
  - name: collected
    metadata: {labels: {gc: "yes"}}
    container: {image: busybox, command: ["true"]}
`;

describe('podGC', () => {
  it('OnPodSuccess drops a matching pod’s logs as it succeeds', () => {
    const run = new Driver(yaml('OnPodSuccess')).submit();
    const job = run.job('collected');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(ended.commands).toContainEqual({ type: 'deleteNodeLogs', nodeIds: [job.nodeId] });
    const kept = run.job('kept');
    run.jobs.delete(kept.nodeId);
    const other = run.applyRaw({ type: 'nodeFinished', nodeId: kept.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(other.commands.filter((c) => c.type === 'deleteNodeLogs')).toEqual([]);
  });

  it('OnWorkflowSuccess drops them when the workflow succeeded', () => {
    const run = new Driver(yaml('OnWorkflowSuccess')).submit();
    run.finish('kept');
    const job = run.job('collected');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(ended.commands).toContainEqual({ type: 'deleteNodeLogs', nodeIds: [job.nodeId] });
  });
});

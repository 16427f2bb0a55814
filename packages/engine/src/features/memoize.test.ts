import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: memo-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - name: main
    inputs: {parameters: [{name: who}]}
    memoize:
      key: "greet-{{inputs.parameters.who}}"
      maxAge: "10s"
      cache: {configMap: {name: cache-config}}
    container: {image: busybox, command: [echo, "{{inputs.parameters.who}}"]}
`;

describe('memoize', () => {
  it('asks the cache first; a hit ends the node with the cached outputs', () => {
    const run = new Driver(yaml);
    const submitted = run.applyRaw({ type: 'workflowSubmitted' });
    const root = run.node('wf');
    expect(submitted.commands).toEqual([
      { type: 'lookupMemo', nodeId: root.id, namespace: 'default', cacheName: 'cache-config', key: 'greet-world', maxAgeMs: 10_000 },
    ]);
    expect(root).toMatchObject({ phase: 'Pending', memoizationStatus: { hit: false, key: 'greet-world', cacheName: 'cache-config' } });
    run.reload().apply({ type: 'memoAnswered', nodeId: root.id, outputs: { result: 'world' } });
    expect(run.node('wf')).toMatchObject({ phase: 'Succeeded', outputs: { result: 'world' }, memoizationStatus: { hit: true } });
    expect(run.running()).toEqual([]);
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a miss runs the node and stores its outputs when it succeeds', () => {
    const run = new Driver(yaml).submit();
    const root = run.node('wf');
    run.apply({ type: 'memoAnswered', nodeId: root.id });
    expect(run.running()).toEqual(['wf']);
    const job = run.job('wf');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded', outputs: { result: 'world', exitCode: '0' } });
    expect(ended.commands).toEqual([
      { type: 'saveMemo', nodeId: root.id, namespace: 'default', cacheName: 'cache-config', key: 'greet-world', outputs: { result: 'world', exitCode: '0' } },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

describe('a pod node’s pod settings', () => {
  it('carry only the pod’s name where the workflow sets nothing for pods', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: plain-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps: [[{name: one, template: leaf}]]
  - name: leaf
    container: {image: alpine, command: ["true"]}
`).submit();
    expect(run.job('one').pod).toEqual({ name: expect.stringMatching(/^wf-leaf-\d+$/) });
  });

  it('substitute the workflow’s defaults with its globals and a boundary’s with its inputs; the template’s win', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: settings-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: pool, value: batch}, {name: account, value: runner}]}
  nodeSelector: {pool: "{{workflow.parameters.pool}}"}
  serviceAccountName: "{{workflow.parameters.account}}"
  automountServiceAccountToken: true
  podMetadata: {labels: {team: data, tier: wf}}
  templates:
  - name: main
    steps: [[{name: inner, template: inner, arguments: {parameters: [{name: zone, value: z1}]}}]]
  - name: inner
    inputs: {parameters: [{name: zone}]}
    tolerations: [{key: "{{inputs.parameters.zone}}", operator: Exists}]
    steps: [[{name: leaf, template: leaf, arguments: {parameters: [{name: tier, value: pod}]}}]]
  - name: leaf
    inputs: {parameters: [{name: tier}]}
    metadata: {labels: {tier: "{{inputs.parameters.tier}}"}}
    serviceAccountName: own
    container: {image: alpine, command: ["true"]}
`).submit();
    expect(run.job('leaf').pod).toMatchObject({
      nodeSelector: { pool: 'batch' },
      tolerations: [{ key: 'z1', operator: 'Exists' }],
      serviceAccountName: 'own',
      labels: { team: 'data', tier: 'pod' },
    });
    // Argo puts the token setting on the pod only to turn it off.
    expect(run.job('leaf').pod).not.toHaveProperty('automountServiceAccountToken');
  });

  it('substitute the workflow’s podSpecPatch in the template’s scope, inputs included, before the template’s own', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: patch-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: cpu, value: 100m}]}
  podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"memory":"{{inputs.parameters.mem}}"}}}]}'
  templates:
  - name: main
    steps: [[{name: leaf, template: leaf, arguments: {parameters: [{name: mem, value: 1Gi}]}}]]
  - name: leaf
    inputs: {parameters: [{name: mem}]}
    podSpecPatch: 'activeDeadlineSeconds: 5'
    container: {image: alpine, command: ["true"]}
`).submit();
    expect(run.job('leaf').pod?.podSpecPatches).toEqual(['{"containers":[{"name":"main","resources":{"limits":{"memory":"1Gi"}}}]}', 'activeDeadlineSeconds: 5']);
  });

  it('keep a retry off the hosts its failed attempts ran on, as their workers reported them (nodeAntiAffinity)', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-}
spec:
  entrypoint: flaky
  templates:
  - name: flaky
    retryStrategy: {limit: 2, affinity: {nodeAntiAffinity: {}}}
    container: {image: alpine, command: ["false"]}
`).submit();
    const job = run.job('wf(0)');
    expect(job.pod?.avoidHosts).toBeUndefined();
    run.apply({ type: 'nodeFinished', nodeId: job.nodeId, attempt: job.attempt, phase: 'Failed', hostNodeName: 'node-a' });
    expect(run.state.node(job.nodeId)?.hostNodeName).toBe('node-a');
    expect(run.job('wf(1)').pod?.avoidHosts).toEqual(['node-a']);
  });
});

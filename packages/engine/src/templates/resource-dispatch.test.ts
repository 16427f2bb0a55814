// A resource template is a Pod node whose job carries the resource section, substituted, and the
// template's output parameters (read by the resource executor with jsonPath / jqFilter).
import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

describe('a resource template’s node job', () => {
  it('carries the action, the substituted manifest and flags, the conditions and the output parameters', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: resource-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: cm, value: settings}]}
  templates:
  - name: main
    steps: [[{name: make, template: make}]]
  - name: make
    resource:
      action: patch
      mergeStrategy: merge
      setOwnerReference: true
      successCondition: data.ready == yes
      failureCondition: data.ready == never
      flags: [configmap, "{{workflow.parameters.cm}}"]
      manifest: |
        data: {owner: "{{workflow.name}}"}
    outputs:
      parameters:
      - name: ready
        valueFrom: {jsonPath: '{.data.ready}'}
`).submit();
    const job = run.job('make');
    expect(run.state.node(job.nodeId)?.type).toBe('Pod');
    expect(job.resource).toEqual({
      action: 'patch',
      mergeStrategy: 'merge',
      setOwnerReference: true,
      successCondition: 'data.ready == yes',
      failureCondition: 'data.ready == never',
      flags: ['configmap', 'settings'],
      manifest: `data: {owner: "${run.state.name}"}\n`,
    });
    expect(job.outputParameters).toEqual([{ name: 'ready', valueFrom: { jsonPath: '{.data.ready}' } }]);
  });
});

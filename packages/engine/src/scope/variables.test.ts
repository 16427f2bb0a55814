import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: vars-
  labels: {app: demo}
  annotations: {owner: team-a}
spec:
  entrypoint: main
  serviceAccountName: runner
  arguments: {parameters: [{name: greeting, value: hi}]}
  templates:
  - name: main
    steps:
    - - {name: produce, template: produce}
    - - name: consume
        template: show
        arguments: {parameters: [{name: a, value: "{{workflow.outputs.parameters.shared}}"}, {name: b, value: "{{steps.produce.id}}"}]}
  - name: produce
    container: {image: busybox, command: ["true"]}
    outputs: {parameters: [{name: out, globalName: shared, valueFrom: {path: /tmp/out}}]}
  - name: show
    inputs: {parameters: [{name: a}, {name: b}]}
    container:
      image: busybox
      command:
      - echo
      - "{{inputs.parameters}}"
      - "{{workflow.labels.app}} {{workflow.annotations.owner}} {{workflow.labels.json}}"
      - "{{workflow.serviceAccountName}} {{workflow.parameters.json}}"
      - "{{workflow.creationTimestamp.Y}}-{{workflow.creationTimestamp.m}} {{workflow.creationTimestamp.s}}"
      - "{{workflow.duration}}"
      - "{{node.name}} {{pod.name}}"
      - "{{outputs.parameters.saved.path}}"
    outputs: {parameters: [{name: saved, valueFrom: {path: /tmp/saved.txt}}]}
`;

describe('workflow and node variables', () => {
  it('substitutes the variables Argo documents', () => {
    const run = new Driver(yaml);
    run.state.workflow.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    run.submit().finish('produce', 'Succeeded', { parameters: [{ name: 'out', value: 'from produce' }] });
    expect(run.state.status.outputs).toEqual({ parameters: [{ name: 'shared', value: 'from produce' }] });
    const [, inputs, meta, account, created, duration, names, path] = run.job('consume').container.command!;
    expect(JSON.parse(inputs!)).toEqual([
      { name: 'a', value: 'from produce' },
      { name: 'b', value: run.node('wf[0].produce').id },
    ]);
    expect(meta).toBe('demo team-a {"app":"demo"}');
    expect(account).toBe('runner [{"name":"greeting","value":"hi"}]');
    expect(created).toBe(`2026-01 ${Date.parse('2026-01-01T00:00:00Z') / 1000}`);
    // The driver's clock moves a second per event; the workflow started at the first one.
    expect(duration).toBe('1.000000');
    expect(names).toMatch(/^wf\[1\]\.consume wf-show-\d+$/);
    expect(path).toBe('/tmp/saved.txt');
  });
});

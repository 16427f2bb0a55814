import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';

const HELLO = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hello-}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: who, value: world}]
  templates:
  - name: main
    container:
      image: busybox
      command: [echo]
      args: ["hello {{workflow.parameters.who}} from {{workflow.name}}"]
`;

const STEPS = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: one
        template: print
        arguments: {parameters: [{name: message, value: one}]}
    - - name: two-a
        template: print
        arguments: {parameters: [{name: message, value: two-a}]}
      - name: two-b
        template: print
        arguments: {parameters: [{name: message, value: two-b}]}
    - - name: three
        template: print
  - name: print
    inputs:
      parameters: [{name: message, default: fallback}]
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

describe('a single container workflow', () => {
  it('dispatches the entrypoint with globals substituted and succeeds when it does', () => {
    const run = new Driver(HELLO).submit();
    const job = run.job('wf');
    expect(job.container.args).toEqual(['hello world from wf']);
    expect(job.nodeId).toBe('wf');
    expect(run.state.status.phase).toBe('Running');
    run.finish('wf', 'Succeeded', { result: 'hello world from wf', exitCode: '0' });
    expect(run.state.status.phase).toBe('Succeeded');
    expect(run.node('wf')).toMatchObject({ type: 'Pod', phase: 'Succeeded', templateName: 'main' });
    expect(run.node('wf').outputs?.result).toBe('hello world from wf');
  });

  it('fails the workflow with the node message when the container fails', () => {
    const run = new Driver(HELLO).submit().finish('wf', 'Failed');
    expect(run.state.status).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
  });
});

describe('steps', () => {
  it('runs outer groups in sequence and the steps of a group in parallel, with Argo names and ids', () => {
    const run = new Driver(STEPS).submit();
    expect(run.running()).toEqual(['one']);
    expect(run.job('one').container.command).toEqual(['echo', 'one']);
    run.finish('one');
    expect(run.running()).toEqual(['two-a', 'two-b']);
    run.finish('two-a');
    expect(run.running()).toEqual(['two-b']);
    run.finish('two-b');
    expect(run.job('three').container.command).toEqual(['echo', 'fallback']);
    run.finish('three');
    expect(run.state.status.phase).toBe('Succeeded');

    const step = run.node('wf[1].two-a');
    expect(step.id).toBe(`wf-${fnv1a32('wf[1].two-a')}`);
    expect(step).toMatchObject({ type: 'Pod', displayName: 'two-a', boundaryID: 'wf', phase: 'Succeeded' });
    expect(run.node('wf[1]')).toMatchObject({ type: 'StepGroup', displayName: '[1]', boundaryID: 'wf' });
    expect(run.node('wf').children).toEqual([run.node('wf[0]').id]);
    // Group 2 hangs off both steps of group 1, as in Argo's graph.
    expect(run.node('wf[1].two-a').children).toEqual([run.node('wf[2]').id]);
    expect(run.node('wf[1].two-b').children).toEqual([run.node('wf[2]').id]);
    expect(run.node('wf').outboundNodes).toEqual([run.node('wf[2].three').id]);
    expect(run.node('wf').type).toBe('Steps');
  });

  it('records the inputs a step was called with', () => {
    const run = new Driver(STEPS).submit();
    expect(run.node('wf[0].one').inputs).toEqual({ parameters: [{ name: 'message', value: 'one' }] });
  });

  it('fails a group, its steps node and the workflow when a step fails, and starts nothing after it', () => {
    const run = new Driver(STEPS).submit().finish('one').finish('two-a', 'Failed');
    expect(run.state.status.phase).toBe('Running');
    run.finish('two-b');
    const failedId = run.node('wf[1].two-a').id;
    expect(run.node('wf[1]')).toMatchObject({ phase: 'Failed', message: `child '${failedId}' failed` });
    expect(run.node('wf')).toMatchObject({ phase: 'Failed', message: `child '${failedId}' failed` });
    expect(run.state.status).toMatchObject({ phase: 'Failed', message: `child '${failedId}' failed` });
    expect(run.state.nodeByName('wf[2]')).toBeUndefined();
    expect(run.running()).toEqual([]);
  });

  it('passes a step result and an output parameter to later steps', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pass-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: gen
        template: gen
    - - name: use
        template: use
        arguments:
          parameters:
          - {name: a, value: "{{steps.gen.outputs.result}}"}
          - {name: b, value: "{{steps.gen.outputs.parameters.out}}"}
  - name: gen
    container: {image: busybox, command: [sh, -c, "echo hi; echo -n there > /tmp/out"]}
    outputs:
      parameters: [{name: out, valueFrom: {path: /tmp/out}}]
  - name: use
    inputs: {parameters: [{name: a}, {name: b}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.a}} {{inputs.parameters.b}}"]}
`).submit();
    expect(run.job('gen').outputParameters).toEqual([{ name: 'out', valueFrom: { path: '/tmp/out' } }]);
    run.finish('gen', 'Succeeded', { result: 'say "hi"\nnext', parameters: [{ name: 'out', value: 'there' }] });
    expect(run.job('use').container.command).toEqual(['echo', 'say "hi"\nnext there']);
  });

  it('skips a step whose when is false, with Argo message, and carries on', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: when-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: flip
        template: c
    - - name: heads
        template: c
        when: "{{steps.flip.outputs.result}} == heads"
      - name: tails
        template: c
        when: "{{steps.flip.outputs.result}} == tails"
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('flip', 'Succeeded', { result: 'tails' });
    expect(run.running()).toEqual(['tails']);
    expect(run.node('wf[1].heads')).toMatchObject({ type: 'Skipped', phase: 'Skipped', message: "when 'tails == heads' evaluated false" });
    run.finish('tails');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('runs a nested steps template as a Steps node inside the outer one', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: nested-}
spec:
  entrypoint: outer
  templates:
  - name: outer
    steps:
    - - {name: inner, template: inner}
  - name: inner
    steps:
    - - {name: leaf, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    expect(run.node('wf[0].inner')).toMatchObject({ type: 'Steps', boundaryID: 'wf' });
    expect(run.node('wf[0].inner[0].leaf').boundaryID).toBe(run.node('wf[0].inner').id);
    run.finish('leaf');
    expect(run.node('wf[0].inner').outboundNodes).toEqual([run.node('wf[0].inner[0].leaf').id]);
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('lets a failed step with continueOn.failed not fail its group', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cont-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flaky, template: c, continueOn: {failed: true}}
    - - {name: after, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('flaky', 'Failed').finish('after');
    expect(run.state.status.phase).toBe('Succeeded');
  });
});

describe("a step group's outcome, with and without a reload", () => {
  // A reload (a scheduler restart) rebuilds the group's tally from the nodes: the outcome must not change.
  const LOOPS = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: loops-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: s00, template: c, withItems: [0, 0, 0]}
      - {name: s01, template: c, withSequence: {count: "2"}, continueOn: {failed: true}}
  - name: c
    container: {image: busybox, command: ["true"]}
`;

  it.each([false, true])('succeeds when only items with continueOn.failed fail (reload: %s)', (reload) => {
    const run = new Driver(LOOPS).submit().finish('s01(0:0)', 'Failed').finish('s01(1:1)', 'Failed').finish('s00(0:0)').finish('s00(1:0)');
    if (reload) run.reload();
    run.finish('s00(2:0)');
    expect(run.node('wf[0]').phase).toBe('Succeeded');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  const PAIR = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pair-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: c}
      - {name: b, template: c}
      - {name: z, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`;

  it.each([false, true])("names the first failed child in the group's order, as Argo does, not the first to fail (reload: %s)", (reload) => {
    const run = new Driver(PAIR).submit().finish('b', 'Failed').finish('a', 'Failed');
    if (reload) run.reload();
    run.finish('z');
    const message = `child '${run.node('wf[0].a').id}' failed`;
    expect(run.node('wf[0]')).toMatchObject({ phase: 'Failed', message });
    expect(run.state.status).toMatchObject({ phase: 'Failed', message });
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const diamond = (extra = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: diamond-}
spec:
  entrypoint: diamond
  templates:
  - name: diamond
    dag:
      ${extra}
      tasks:
      - {name: A, template: echo, arguments: {parameters: [{name: message, value: A}]}}
      - {name: B, depends: A, template: echo, arguments: {parameters: [{name: message, value: "{{tasks.A.outputs.result}}-B"}]}}
      - {name: C, dependencies: [A], template: echo, arguments: {parameters: [{name: message, value: C}]}}
      - {name: D, depends: "B && C", template: echo, arguments: {parameters: [{name: message, value: D}]}}
  - name: echo
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

describe('dag', () => {
  it('runs a diamond: each task as soon as its dependencies succeed', () => {
    const run = new Driver(diamond()).submit();
    expect(run.running()).toEqual(['A']);
    run.finish('A', 'Succeeded', { result: 'from-A' });
    expect(run.running()).toEqual(['B', 'C']);
    expect(run.job('B').container.command).toEqual(['echo', 'from-A-B']);
    run.finish('B');
    expect(run.running()).toEqual(['C']);
    run.finish('C');
    expect(run.running()).toEqual(['D']);
    run.finish('D');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it("links nodes as Argo's graph does", () => {
    const run = new Driver(diamond()).submit().finishAll();
    const id = (name: string) => run.node(name).id;
    expect(run.node('wf')).toMatchObject({ type: 'DAG', children: [id('wf.A')], outboundNodes: [id('wf.D')] });
    expect(run.node('wf.A')).toMatchObject({ displayName: 'A', boundaryID: 'wf', children: [id('wf.B'), id('wf.C')] });
    expect(run.node('wf.B').children).toEqual([id('wf.D')]);
    expect(run.node('wf.C').children).toEqual([id('wf.D')]);
  });

  it('omits the tasks whose dependencies failed and fails the DAG once running tasks end', () => {
    const run = new Driver(diamond()).submit().finish('A').finish('B', 'Failed');
    expect(run.state.status.phase).toBe('Running');
    run.finish('C');
    expect(run.node('wf.D')).toMatchObject({ type: 'Skipped', phase: 'Omitted', message: 'omitted: depends condition not met' });
    expect(run.node('wf').phase).toBe('Failed');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('keeps running independent branches after a failure, as Argo does', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: branches-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: X, template: c}
      - {name: Y, template: c}
      - {name: Z, depends: Y, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('X', 'Failed').finish('Y');
    expect(run.running()).toEqual(['Z']);
    run.finish('Z');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('runs an A.Failed handler, and an omitted target inherits the failed branch as in Argo', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: handled-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c}
      - {name: on-fail, depends: A.Failed, template: c}
      - {name: on-ok, depends: A.Succeeded, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('A', 'Failed');
    expect(run.running()).toEqual(['on-fail']);
    expect(run.node('wf.on-ok').phase).toBe('Omitted');
    run.finish('on-fail');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('succeeds when a failed task is handled and the handler is the only target', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: handled-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c}
      - {name: on-fail, depends: A.Failed || A.Succeeded, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('A', 'Failed').finish('on-fail');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('takes its target from a workflow parameter', () => {
    const yaml = diamond('target: "{{workflow.parameters.target}}"').replace('spec:\n', 'spec:\n  arguments: {parameters: [{name: target, value: B}]}\n');
    const run = new Driver(yaml).submit().finishAll();
    expect(run.state.nodeByName('wf.B')?.phase).toBe('Succeeded');
    expect(run.state.nodeByName('wf.C')).toBeUndefined();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('runs only targets and their ancestors when target is set', () => {
    const run = new Driver(diamond('target: B')).submit().finishAll();
    expect(run.state.nodeByName('wf.C')).toBeUndefined();
    expect(run.state.nodeByName('wf.D')).toBeUndefined();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('lifts an output parameter of a task into the DAG outputs, and exports it by its globalName', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: lift-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: gen, template: c}
    outputs:
      parameters:
      - {name: value, globalName: answer, valueFrom: {parameter: "{{tasks.gen.outputs.parameters.p}}"}}
  - name: c
    container: {image: busybox, command: ["true"]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
`).submit();
    run.finish('gen', 'Succeeded', { parameters: [{ name: 'p', value: '42' }] });
    expect(run.node('wf').outputs).toEqual({ parameters: [{ name: 'value', value: '42', globalName: 'answer' }] });
    expect(run.state.status.outputs).toEqual({ parameters: [{ name: 'answer', value: '42' }] });
  });
});

describe('dag after a reload', () => {
  // A stop ends both running tasks in one event: the dependency counts rebuilt after the reload must
  // not take B as counted while its end is still to be handled, or C is never reached.
  const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: stop-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c}
      - {name: B, template: c}
      - {name: C, depends: B, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`;

  it('ends the same way when stopped, reloaded or not', () => {
    const stop = { type: 'control', control: { action: 'stop' } } as const;
    const straight = new Driver(yaml).submit().apply(stop);
    const reloaded = new Driver(yaml).submit().reload().apply(stop);
    expect(straight.node('wf.C')).toMatchObject({ phase: 'Omitted' });
    expect(reloaded.state.workflow).toEqual(straight.state.workflow);
  });
});

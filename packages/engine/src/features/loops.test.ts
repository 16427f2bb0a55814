import { describe, expect, it } from 'vitest';
import { nodeId } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';

const steps = (loop: string, consumer = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: loops-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: print
        template: echo
        arguments: {parameters: [{name: message, value: "{{item}}"}]}
        ${loop}
${consumer}
  - name: echo
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

describe('loops in steps', () => {
  it('expands withItems into one node per item, named as Argo names them, in one parallel group', () => {
    const run = new Driver(steps('withItems: [hello, 2, true]')).submit();
    expect(run.running()).toEqual(['print(0:hello)', 'print(1:2)', 'print(2:true)']);
    expect(run.job('print(1:2)').container.command).toEqual(['echo', '2']);
    expect(run.node('wf[0].print(0:hello)')).toMatchObject({ displayName: 'print(0:hello)', boundaryID: 'wf' });
    run.finish('print(0:hello)').finish('print(1:2)');
    expect(run.state.status.phase).toBe('Running');
    run.finish('print(2:true)');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('substitutes item keys of map items and names them by sorted key:value pairs', () => {
    const run = new Driver(
      steps('withItems: [{os: debian, version: "12"}, {os: alpine, version: "3.20"}]').replace('"{{item}}"', '"{{item.os}}-{{item.version}}"'),
    ).submit();
    expect(run.running()).toEqual(['print(0:os:debian,version:12)', 'print(1:os:alpine,version:3.20)']);
    expect(run.job('print(1:os:alpine,version:3.20)').container.command).toEqual(['echo', 'alpine-3.20']);
  });

  it('counts withSequence and formats it', () => {
    const run = new Driver(steps('withSequence: {start: "8", count: "3", format: "%02d"}')).submit();
    expect(run.running()).toEqual(['print(0:08)', 'print(1:09)', 'print(2:10)']);
  });

  it.each([
    ['%0999999999d', 'withSequence format width 999999999 is over the limit of 64'],
    [`${'x'.repeat(257)}%d`, 'withSequence format is 259 characters long, over the limit of 256'],
  ])('refuses a withSequence format that would build huge items: %#', (format, message) => {
    const run = new Driver(steps(`withSequence: {count: "3", format: "${format}"}`)).submit();
    expect(run.node('wf[0].print')).toMatchObject({ phase: 'Error', message });
    expect(run.running()).toEqual([]);
  });

  it('fans out withParam over a JSON list from an earlier step and aggregates the results', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: fan-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: gen, template: echo, arguments: {parameters: [{name: message, value: x}]}}
    - - name: fan
        template: echo
        arguments: {parameters: [{name: message, value: "{{item.n}}"}]}
        withParam: "{{steps.gen.outputs.result}}"
    - - {name: sum, template: echo, arguments: {parameters: [{name: message, value: "{{steps.fan.outputs.result}}"}]}}
  - name: echo
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`).submit();
    run.finish('gen', 'Succeeded', { result: '[{"n": 1}, {"n": 2}]' });
    expect(run.running()).toEqual(['fan(0:n:1)', 'fan(1:n:2)']);
    run.finish('fan(0:n:1)', 'Succeeded', { result: '10' }).finish('fan(1:n:2)', 'Succeeded', { result: 'twenty' });
    expect(run.job('sum').container.command).toEqual(['echo', '[10,"twenty"]']);
  });

  it('fails the loop step with a clear message when withParam is not a JSON list', () => {
    const run = new Driver(steps('withParam: "not json"')).submit();
    expect(run.node('wf[0].print')).toMatchObject({ phase: 'Error', message: 'withParam value could not be parsed as a JSON list: not json' });
    expect(run.state.status.phase).toBe('Failed');
  });
});

describe('node ids', () => {
  // These two items' node names hash alike (32-bit FNV-1a): Argo would give both nodes one id.
  const colliding = steps('withItems: [a3254, b284040]');

  it('gives the later of two nodes whose names hash alike an id of its own, so both run and the loop ends', () => {
    const first = 'wf[0].print(0:a3254)';
    const second = 'wf[0].print(1:b284040)';
    expect(nodeId('wf', first)).toBe(nodeId('wf', second));
    const run = new Driver(colliding).submit();
    expect(run.running()).toEqual(['print(0:a3254)', 'print(1:b284040)']);
    expect(run.node(first).id).toBe(nodeId('wf', first));
    expect(run.node(second).id).not.toBe(run.node(first).id);
    expect(run.job('print(1:b284040)').container.command).toEqual(['echo', 'b284040']);
    run.finish('print(1:b284040)').finish('print(0:a3254)');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('finds both nodes again after a reload, and a replay gives the same ids', () => {
    const straight = new Driver(colliding).submit().finishAll();
    const reloaded = new Driver(colliding).submit().reload().finish('print(0:a3254)').reload().finishAll();
    expect(reloaded.state.workflow).toEqual(straight.state.workflow);
    expect(reloaded.state.status.phase).toBe('Succeeded');
  });
});

describe('loops in a DAG', () => {
  const dag = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-loop-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: fan
        template: echo
        arguments: {parameters: [{name: message, value: "{{item}}"}]}
        withItems: [a, b]
      - {name: after, depends: fan, template: echo, arguments: {parameters: [{name: message, value: "{{tasks.fan.outputs.result}}"}]}}
      - {name: any, depends: fan.AnySucceeded, template: echo, arguments: {parameters: [{name: message, value: any}]}}
  - name: echo
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

  it('groups the items under a TaskGroup that its dependents wait for, with aggregated results', () => {
    const run = new Driver(dag).submit();
    expect(run.running()).toEqual(['fan(0:a)', 'fan(1:b)']);
    expect(run.node('wf.fan')).toMatchObject({ type: 'TaskGroup', phase: 'Running', children: [run.node('wf.fan(0:a)').id, run.node('wf.fan(1:b)').id] });
    run.finish('fan(0:a)', 'Succeeded', { result: 'a' });
    expect(run.running()).toEqual(['fan(1:b)']);
    run.finish('fan(1:b)', 'Succeeded', { result: 'b' });
    expect(run.node('wf.fan').phase).toBe('Succeeded');
    expect(run.running()).toEqual(['after', 'any']);
    expect(run.job('after').container.command).toEqual(['echo', '["a","b"]']);
    run.finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('fails the TaskGroup when an item fails, and keeps AnySucceeded true', () => {
    const run = new Driver(dag).submit().finish('fan(0:a)').finish('fan(1:b)', 'Failed');
    expect(run.node('wf.fan').phase).toBe('Failed');
    expect(run.node('wf.after').phase).toBe('Omitted');
    expect(run.running()).toEqual(['any']);
  });

  // Argo's TaskGroup takes the phase of its last failed or errored item in item order, not in time.
  it.each([
    { order: ['fan(0:a)', 'fan(1:b)'], reload: false },
    { order: ['fan(0:a)', 'fan(1:b)'], reload: true },
    { order: ['fan(1:b)', 'fan(0:a)'], reload: false },
    { order: ['fan(1:b)', 'fan(0:a)'], reload: true },
  ])('gives the TaskGroup the phase of its last failed item in item order ($order, reload: $reload)', ({ order, reload }) => {
    const run = new Driver(dag.replace('withItems: [a, b]', 'withItems: [a, b, c]')).submit();
    for (const item of order) run.finish(item, item === 'fan(0:a)' ? 'Failed' : 'Error');
    if (reload) run.reload();
    run.finish('fan(2:c)');
    expect(run.node('wf.fan').phase).toBe('Error');
  });

  it('continues the same way after a reload mid-loop', () => {
    const straight = new Driver(dag).submit().finish('fan(0:a)').finish('fan(1:b)').finishAll();
    const reloaded = new Driver(dag).submit().finish('fan(0:a)').reload().finish('fan(1:b)').reload().finishAll();
    expect(reloaded.state.workflow).toEqual(straight.state.workflow);
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../test-support/drive.js';

describe('retrying a failed workflow', () => {
  it('runs the failed steps again and keeps the succeeded ones', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: again-}
spec:
  entrypoint: main
  onExit: bye
  templates:
  - name: main
    steps:
    - - {name: first, template: c}
    - - {name: second, template: c}
      - {name: side, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
  - name: bye
    container: {image: busybox, command: [echo, bye]}
`).submit();
    run.finish('first').finish('second', 'Failed').finish('side').finish('wf.onExit');
    expect(run.state.status.phase).toBe('Failed');
    const first = run.node('wf[0].first');
    const failedId = run.node('wf[1].second').id;
    run.state.takeChanges();
    run.reload();
    const retried = run.applyRaw({ type: 'control', control: { action: 'retry' } });
    expect(retried.refused).toBeUndefined();
    expect(run.state.status.phase).toBe('Running');
    expect(run.running()).toEqual(['second']);
    expect(run.node('wf[0].first')).toBe(run.state.node(first.id));
    expect(run.node('wf[0].first').phase).toBe('Succeeded');
    expect(run.node('wf[1].side').phase).toBe('Succeeded');
    expect(run.state.takeChanges().deleted).toEqual(expect.arrayContaining([run.state.workflow.metadata.name === 'wf' ? run.node('wf').id : '', run.node('wf[1]').id]));
    run.finish('second');
    expect(run.node('wf[1].second').id).toBe(failedId);
    expect(run.running()).toEqual(['wf.onExit']);
    run.finish('wf.onExit');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('in a DAG, runs the failed task and the tasks it held back', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: again-dag-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c}
      - {name: B, template: c, dependencies: [A]}
      - {name: C, template: c, dependencies: [B]}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('A').finish('B', 'Failed');
    expect(run.state.status.phase).toBe('Failed');
    run.apply({ type: 'control', control: { action: 'retry' } });
    expect(run.running()).toEqual(['B']);
    run.finish('B').finish('C');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('refuses a workflow that did not fail', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: fine-}
spec:
  entrypoint: c
  templates:
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit().finishAll();
    expect(run.applyRaw({ type: 'control', control: { action: 'retry' } }).refused).toBe('workflow "wf" is Succeeded: only a Failed or Error workflow can be retried');
  });
});

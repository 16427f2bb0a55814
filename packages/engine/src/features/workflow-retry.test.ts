import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

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

  // The kept nodes below are met in an event after the retry's own: they must still count as ended.
  it('ends a step group, started after the retry, whose steps are a kept one and one whose when errors at once', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: again-group-}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: x, value: ""}]
  templates:
  - name: main
    steps:
    - - {name: first, template: c, continueOn: {failed: true}}
    - - {name: kept, template: c}
      - {name: broken, template: c, when: "{{workflow.parameters.x}} == heads"}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('first', 'Failed').finish('kept');
    expect(run.node('wf[1].broken').phase).toBe('Error');
    expect(run.state.status.phase).toBe('Failed');
    run.apply({ type: 'control', control: { action: 'retry' } });
    // As in Argo, the failed step under the succeeded group runs again, and the group after it with it.
    expect(run.running()).toEqual(['first']);
    run.finish('first');
    expect(run.node('wf[1].kept').phase).toBe('Succeeded');
    expect(run.node('wf[1]')).toMatchObject({ phase: 'Failed', message: `child '${run.node('wf[1].broken').id}' failed` });
    expect(run.state.status.phase).toBe('Failed');
  });

  it('ends a DAG whose kept task is reached after the retry, once the task it depends on has run again', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: again-dag-kept-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: B, template: c}
      - {name: E, template: c, depends: B.Failed}
      - {name: C, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('B', 'Failed').finish('E').finish('C', 'Failed');
    expect(run.state.status.phase).toBe('Failed');
    run.apply({ type: 'control', control: { action: 'retry' } });
    expect(run.running()).toEqual(['B', 'C']);
    run.finish('C').finish('B', 'Failed');
    expect(run.running()).toEqual([]);
    expect(run.node('wf.E').phase).toBe('Succeeded');
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

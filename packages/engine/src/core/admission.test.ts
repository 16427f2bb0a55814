import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const dag = (parallelism: string, workflowParallelism = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: par-}
spec:
  entrypoint: main
${workflowParallelism}
  templates:
  - name: main
    ${parallelism}
    dag:
      tasks:
${['a', 'b', 'c', 'd', 'e'].map((n) => `      - {name: ${n}, template: c}`).join('\n')}
  - name: c
    container: {image: busybox, command: ["true"]}
`;

describe('parallelism', () => {
  it("a DAG template's parallelism runs at most that many tasks, the rest in order as others end", () => {
    const run = new Driver(dag('parallelism: 2')).submit();
    expect(run.running()).toEqual(['a', 'b']);
    expect(run.node('wf.c').phase).toBe('Pending');
    run.finish('a');
    expect(run.running()).toEqual(['b', 'c']);
    run.reload().finish('b').finish('c');
    expect(run.running()).toEqual(['d', 'e']);
    run.finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it("the workflow's parallelism limits its running pods, also in nested bodies", () => {
    const run = new Driver(dag('', '  parallelism: 3')).submit();
    expect(run.running()).toEqual(['a', 'b', 'c']);
    run.reload().finish('b');
    expect(run.running()).toEqual(['a', 'c', 'd']);
    run.finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a steps template with parallelism 1 runs the items of a loop one after another', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: seq-}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 1
    steps:
    - - {name: item, template: c, withItems: [x, y, z]}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    expect(run.running()).toEqual(['item(0:x)']);
    run.finish('item(0:x)');
    expect(run.running()).toEqual(['item(1:y)']);
    run.finish('item(1:y)', 'Failed');
    expect(run.running()).toEqual(['item(2:z)']);
    run.finish('item(2:z)');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('counts a nested body as one running child until it ends', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: nested-}
spec:
  entrypoint: main
  templates:
  - name: main
    parallelism: 1
    dag:
      tasks:
      - {name: one, template: pair}
      - {name: two, template: pair}
  - name: pair
    steps:
    - - {name: left, template: c}
      - {name: right, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    expect(run.running()).toEqual(['left', 'right']);
    expect(run.node('wf.two')).toMatchObject({ type: 'Steps', phase: 'Pending' });
    run.finish('left').finish('right');
    expect(run.running()).toEqual(['left', 'right']);
    run.finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });
});

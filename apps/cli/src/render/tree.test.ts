import { describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { renderNodeTree } from './index.js';

const T0 = Date.parse('2024-05-01T10:00:00Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const plain = { now: new Date(T0 + 600_000), color: false };

function node(id: string, type: NodeStatus['type'], fields: Partial<NodeStatus> = {}): NodeStatus {
  return { id, name: id, displayName: id, type, phase: 'Succeeded', startedAt: at(0), finishedAt: at(1), ...fields };
}

function workflow(name: string, nodes: NodeStatus[]): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default' },
    spec: { entrypoint: 'main', templates: [] },
    status: { phase: 'Running', nodes: Object.fromEntries(nodes.map((n) => [n.id, n])) },
  } as Workflow;
}

/** `hello` then `hello2a` ∥ `hello2b`, as in Argo's steps example. */
function stepsWorkflow(): Workflow {
  const group = (id: string, displayName: string, children: string[], start: number) =>
    node(id, 'StepGroup', { name: `steps${displayName}`, displayName, boundaryID: 'steps', templateName: 'main', children, startedAt: at(start) });
  const pod = (id: string, start: number, end: number) =>
    node(id, 'Pod', { displayName: id, boundaryID: 'steps', templateName: 'whalesay', startedAt: at(start), finishedAt: at(end) });
  return workflow('steps', [
    node('steps', 'Steps', { templateName: 'main', children: ['g0'], finishedAt: at(9) }),
    group('g0', '[0]', ['hello1'], 0),
    pod('hello1', 0, 2),
    group('g1', '[1]', ['hello2b', 'hello2a'], 2),
    pod('hello2b', 2, 5),
    pod('hello2a', 2, 8),
  ]);
}

/** The STEP column of each line: what the tree's shape is made of. */
function stepColumn(tree: string): string[] {
  const lines = tree.split('\n');
  const end = lines[0]?.indexOf('TEMPLATE');
  return lines.map((line) => line.slice(0, end).trimEnd());
}

describe('renderNodeTree', () => {
  it('draws step groups as Argo does: no row of their own, parallel steps forking with ┬─', () => {
    expect(renderNodeTree(stepsWorkflow(), plain)).toBe(
      [
        'STEP            TEMPLATE  PODNAME                    DURATION  MESSAGE',
        ' ✔ steps        main',
        ' ├───✔ hello1   whalesay  steps-whalesay-4052956782  2s',
        ' └─┬─✔ hello2a  whalesay  steps-whalesay-1908146382  6s',
        '   └─✔ hello2b  whalesay  steps-whalesay-1891368763  3s',
      ].join('\n'),
    );
  });

  it('indents a nested steps template under the step that calls it', () => {
    const wf = workflow('outer', [
      node('outer', 'Steps', { templateName: 'main', children: ['g0'] }),
      node('g0', 'StepGroup', { displayName: '[0]', boundaryID: 'outer', children: ['inner', 'side'] }),
      node('inner', 'Steps', { boundaryID: 'outer', templateName: 'nested', children: ['ig0'] }),
      node('side', 'Pod', { boundaryID: 'outer', templateName: 'leaf' }),
      node('ig0', 'StepGroup', { displayName: '[0]', boundaryID: 'inner', children: ['leaf'] }),
      node('leaf', 'Pod', { boundaryID: 'inner', templateName: 'leaf' }),
    ]);
    expect(stepColumn(renderNodeTree(wf, plain))).toEqual([
      'STEP',
      ' ✔ outer',
      ' └─┬─✔ inner',
      '   │ └───✔ leaf',
      '   └─✔ side',
    ]);
  });

  it('draws each task of a DAG diamond once, directly under the DAG', () => {
    const task = (id: string, start: number, children: string[]) =>
      node(id, 'Pod', { boundaryID: 'diamond', templateName: 'echo', children, startedAt: at(start), finishedAt: at(start + 1) });
    const wf = workflow('diamond', [
      node('diamond', 'DAG', { templateName: 'diamond', children: ['A'], finishedAt: at(3) }),
      task('D', 2, []),
      task('C', 1, ['D']),
      task('B', 1, ['D']),
      task('A', 0, ['B', 'C']),
    ]);
    expect(renderNodeTree(wf, plain)).toBe(
      [
        'STEP        TEMPLATE  PODNAME                  DURATION  MESSAGE',
        ' ✔ diamond  diamond',
        ' ├─✔ A      echo      diamond-echo-3289118412  1s',
        ' ├─✔ B      echo      diamond-echo-3339451269  1s',
        ' ├─✔ C      echo      diamond-echo-3322673650  1s',
        ' └─✔ D      echo      diamond-echo-3238785555  1s',
      ].join('\n'),
    );
  });

  it('orders siblings by start second, then by loop index', () => {
    const item = (id: string, displayName: string, start: number) =>
      node(id, 'Pod', { displayName, boundaryID: 'loop', templateName: 'sleep', startedAt: at(start) });
    const wf = workflow('loop', [
      node('loop', 'Steps', { children: ['g0'] }),
      node('g0', 'StepGroup', { displayName: '[0]', boundaryID: 'loop', children: ['i10', 'i9', 'i2', 'late'] }),
      item('i10', 'sleep(10:ten)', 0.9),
      item('i9', 'sleep(9:nine)', 0.1),
      item('i2', 'sleep(2:two)', 0.5),
      item('late', 'sleep(1:one)', 1),
    ]);
    const names = renderNodeTree(wf, plain).split('\n').slice(2).map((line) => /sleep\(\S+\)/.exec(line)?.[0]);
    expect(names).toEqual(['sleep(2:two)', 'sleep(9:nine)', 'sleep(10:ten)', 'sleep(1:one)']);
  });

  it('measures a running node up to now', () => {
    const wf = workflow('wait', [node('wait', 'Pod', { phase: 'Running', startedAt: at(0), finishedAt: undefined })]);
    expect(renderNodeTree(wf, { now: new Date(T0 + 95_500), color: false })).toBe(
      ['STEP     TEMPLATE  PODNAME  DURATION  MESSAGE', ' ● wait            wait     1m'].join('\n'),
    );
  });

  it('shows a failed node with its message, and the message of the steps node it failed', () => {
    const wf = workflow('fails', [
      node('fails', 'Steps', { phase: 'Failed', templateName: 'main', children: ['g0'], message: "child 'boom' failed" }),
      node('g0', 'StepGroup', { displayName: '[0]', boundaryID: 'fails', phase: 'Failed', children: ['boom'] }),
      node('boom', 'Pod', { boundaryID: 'fails', phase: 'Failed', templateName: 'exit-1', message: 'Error (exit code 1)' }),
    ]);
    expect(renderNodeTree(wf, plain)).toBe(
      [
        'STEP         TEMPLATE  PODNAME                  DURATION  MESSAGE',
        " ✖ fails     main                                         child 'boom' failed",
        ' └───✖ boom  exit-1    fails-exit-1-3348403114  1s        Error (exit code 1)',
      ].join('\n'),
    );
  });

  it('draws a retried node with its attempts, and a single attempt in the retry node’s place', () => {
    const attempt = (id: string, phase: NodeStatus['phase']) => node(id, 'Pod', { boundaryID: 'r', phase, templateName: 'flaky' });
    const wf = workflow('r', [
      node('r', 'DAG', { children: ['once', 'twice'] }),
      node('once', 'Retry', { boundaryID: 'r', templateName: 'flaky', children: ['once(0)'] }),
      attempt('once(0)', 'Succeeded'),
      node('twice', 'Retry', { boundaryID: 'r', templateName: 'flaky', children: ['twice(0)', 'twice(1)'] }),
      attempt('twice(0)', 'Failed'),
      attempt('twice(1)', 'Succeeded'),
    ]);
    expect(stepColumn(renderNodeTree(wf, plain))).toEqual([
      'STEP',
      ' ✔ r',
      ' ├─✔ once(0)',
      ' └─✔ twice',
      '   ├─✖ twice(0)',
      '   └─✔ twice(1)',
    ]);
  });

  it('leaves out omitted nodes and draws the exit handler as a tree of its own', () => {
    const wf = workflow('wf', [
      node('wf', 'DAG', { children: ['a'] }),
      node('a', 'Pod', { boundaryID: 'wf' }),
      node('gone', 'Skipped', { boundaryID: 'wf', phase: 'Omitted', startedAt: at(5) }),
      node('exit', 'Pod', { name: 'wf.onExit', displayName: 'wf.onExit', templateName: 'cleanup' }),
    ]);
    expect(renderNodeTree(wf, plain)).toBe(
      [
        'STEP          TEMPLATE  PODNAME               DURATION  MESSAGE',
        ' ✔ wf',
        // Argo counts the omitted node when it picks the last branch, so `a` keeps `├─`.
        ' ├─✔ a                  wf-3826002220         1s',
        '',
        ' ✔ wf.onExit  cleanup   wf-cleanup-403321795  1s',
      ].join('\n'),
    );
  });

  it('draws nothing before the entry node exists', () => {
    expect(renderNodeTree(workflow('new', []), plain)).toBe('');
  });
});

describe('renderNodeTree colour', () => {
  const phases: NodeStatus['phase'][] = ['Pending', 'Running', 'Succeeded', 'Skipped', 'Failed', 'Error', 'Omitted'];
  const everyPhase = () =>
    workflow('all', [
      node('all', 'DAG', { phase: 'Running', children: [] }),
      ...phases.map((phase, i) => node(phase, 'Pod', { boundaryID: 'all', phase, startedAt: at(i) })),
    ]);

  it('writes no escape codes without colour', () => {
    const out = renderNodeTree(everyPhase(), plain);
    expect(out).not.toContain('\x1b');
    for (const icon of ['◷', '●', '✔', '○', '✖', '⚠']) expect(out).toContain(`${icon} `);
  });

  it('colours the icons and keeps the columns where the plain tree has them', () => {
    const colored = renderNodeTree(everyPhase(), { ...plain, color: true });
    expect(colored).toContain('\x1b[32m✔\x1b[39m');
    expect(colored).toContain('\x1b[31m✖\x1b[39m');
    expect(colored).toContain('\x1b[36m●\x1b[39m');
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(renderNodeTree(everyPhase(), plain));
  });
});

describe('renderNodeTree width', () => {
  const long = () =>
    workflow('w', [
      node('w', 'Steps', { children: ['g0'] }),
      node('g0', 'StepGroup', { displayName: '[0]', boundaryID: 'w', children: ['p'] }),
      node('p', 'Pod', { boundaryID: 'w', phase: 'Failed', templateName: 't', message: 'x'.repeat(200) }),
    ]);

  it('cuts the message so no line is wider than the terminal', () => {
    const lines = renderNodeTree(long(), { ...plain, width: 40 }).split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
    expect(lines[2]).toBe(` └───✖ p  t         w-t-4111221743  1s  `);
  });

  it('counts no escape codes as columns when cutting a coloured line', () => {
    const lines = renderNodeTree(long(), { ...plain, color: true, width: 40 }).split('\n');
    for (const line of lines) expect([...line.replace(/\x1b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(40);
    expect(lines[2]).toContain('\x1b[31m✖\x1b[39m');
  });
});

describe('renderNodeTree -o wide and pod names', () => {
  it("adds Argo's ARTIFACTS, RESOURCESDURATION and NODENAME columns", () => {
    const wf = workflow('art', [
      node('art', 'DAG', { templateName: 'main', children: ['p'] }),
      node('p', 'Pod', { name: 'art.make', displayName: 'make', boundaryID: 'art', templateName: 'maker', outputs: { artifacts: [{ name: 'out' }, { name: 'log' }] } }),
    ]);
    expect(renderNodeTree(wf, { ...plain, wide: true })).toBe(
      [
        'STEP       TEMPLATE  PODNAME               DURATION  ARTIFACTS  MESSAGE  RESOURCESDURATION  NODENAME',
        ' ✔ art     main',
        // Argo's v2 pod name: workflow, template, fnv1a32 of the node name `art.make`.
        ' └─✔ make  maker     art-maker-1627200166  1s        out,log',
      ].join('\n'),
    );
  });
});

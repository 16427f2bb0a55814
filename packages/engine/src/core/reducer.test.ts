import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';
import { applyEvent } from './reducer.js';

const WIDE = (n: number) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wide-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
${Array.from({ length: n }, (_, i) => `      - {name: t${i}, template: c}`).join('\n')}
      - {name: last, dependencies: [${Array.from({ length: n }, (_, i) => `t${i}`).join(', ')}], template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`;

describe('the reducer', () => {
  it('ignores a result for an attempt it already closed, and a second submission', () => {
    const run = new Driver(WIDE(2)).submit();
    const job = run.job('t0');
    run.finish('t0');
    const before = JSON.stringify(run.state.workflow);
    const again = applyEvent(run.state, { type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Failed' }, 'later');
    expect(again).toEqual({ commands: [], duplicate: true });
    expect(applyEvent(run.state, { type: 'workflowSubmitted' }, 'later').duplicate).toBe(true);
    expect(JSON.stringify(run.state.workflow)).toBe(before);
  });

  it('ignores a result for a node it never dispatched', () => {
    const run = new Driver(WIDE(1)).submit();
    expect(applyEvent(run.state, { type: 'nodeFinished', nodeId: 'wf-1', attempt: 0, phase: 'Succeeded' }, 'x').duplicate).toBe(true);
  });

  it('continues the same way after the state is reloaded from its stored form', () => {
    const straight = new Driver(WIDE(3)).submit().finish('t0').finish('t1').finish('t2').finish('last');
    const reloaded = new Driver(WIDE(3)).submit().finish('t0').reload().finish('t1').reload().finish('t2').reload().finish('last');
    expect(reloaded.state.workflow).toEqual(straight.state.workflow);
    expect(reloaded.state.status.phase).toBe('Succeeded');
  });

  it('is deterministic: replaying the same events gives the same state', () => {
    const first = new Driver(WIDE(4)).submit().finishAll();
    const replay = new Driver(WIDE(4));
    for (const event of first.events) replay.apply(event);
    expect(replay.state.workflow).toEqual(first.state.workflow);
  });

  it('reports only the nodes an event touched as changed', () => {
    const run = new Driver(WIDE(50)).submit();
    run.state.takeChanges();
    run.finish('t7');
    const changes = run.state.takeChanges();
    expect(changes.nodes).toEqual([run.node('wf.t7').id]);
    expect(changes.status).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const twoSteps = (extra = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: control-}
spec:
  entrypoint: main
  onExit: cleanup
${extra}
  templates:
  - name: main
    steps:
    - - {name: first, template: c}
      - {name: other, template: c}
    - - {name: second, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
  - name: cleanup
    container: {image: busybox, command: [echo, bye]}
`;

describe('stop and terminate', () => {
  it('stop ends running nodes, asks workers to kill them, starts nothing new but the exit handler', () => {
    const run = new Driver(twoSteps()).submit();
    const result = run.applyRaw({ type: 'control', control: { action: 'stop' } });
    expect(result.commands).toContainEqual({ type: 'cancelNodes', nodeIds: [run.node('wf[0].first').id, run.node('wf[0].other').id] });
    expect(run.node('wf[0].first')).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Stop'" });
    expect(run.state.workflow.spec.shutdown).toBe('Stop');
    run.jobs.clear();
    for (const command of result.commands) if (command.type === 'dispatchNode') run.jobs.set(command.job.nodeId, command.job);
    expect(run.running()).toEqual(['wf.onExit']);
    expect(run.state.nodeByName('wf[1].second')).toBeUndefined();
    run.finish('wf.onExit');
    expect(run.state.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Stop'" });
  });

  it('terminate does not run the exit handler', () => {
    const run = new Driver(twoSteps()).submit();
    run.apply({ type: 'control', control: { action: 'terminate' } });
    expect(run.state.nodeByName('wf.onExit')).toBeUndefined();
    expect(run.state.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
  });

  it('refuses a control on an ended workflow and changes nothing', () => {
    const run = new Driver(twoSteps()).submit().finishAll();
    const result = run.applyRaw({ type: 'control', control: { action: 'stop' } });
    expect(result.refused).toBe('workflow "wf" has already ended (Succeeded)');
    expect(run.state.workflow.spec.shutdown).toBeUndefined();
  });
});

describe('suspend and resume', () => {
  it('holds new pods in Pending while suspended and dispatches them on resume', () => {
    const run = new Driver(twoSteps()).submit();
    run.apply({ type: 'control', control: { action: 'suspend' } });
    run.finish('first').finish('other');
    expect(run.node('wf[1].second').phase).toBe('Pending');
    expect(run.running()).toEqual([]);
    run.reload().apply({ type: 'control', control: { action: 'resume' } });
    expect(run.running()).toEqual(['second']);
    expect(run.state.workflow.spec.suspend).toBeUndefined();
  });

  const approval = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: approve-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: approve, template: approve}
    - - {name: wait, template: wait}
    - - name: release
        template: show
        arguments: {parameters: [{name: message, value: "{{steps.approve.outputs.parameters.message}}"}]}
  - name: approve
    suspend: {}
    outputs: {parameters: [{name: message, valueFrom: {supplied: {}}}]}
  - name: wait
    suspend: {duration: "20s"}
  - name: show
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

  it('a suspend node waits for node set and resume, a duration for its timer', () => {
    const run = new Driver(approval).submit();
    expect(run.node('wf[0].approve')).toMatchObject({ type: 'Suspend', phase: 'Running' });
    const refused = run.applyRaw({ type: 'control', control: { action: 'resume' } });
    expect(refused.refused).toBeUndefined();
    expect(run.node('wf[0].approve')).toMatchObject({ phase: 'Error', message: 'outputs.parameters.message was not supplied' });
  });

  it('takes supplied outputs from node set, then a duration ends by its timer', () => {
    const run = new Driver(approval).submit();
    run.apply({ type: 'control', control: { action: 'setNode', nodeFieldSelector: 'displayName=approve', outputParameters: { message: 'ship it' } } });
    run.apply({ type: 'control', control: { action: 'resume', nodeFieldSelector: 'displayName=approve' } });
    expect(run.node('wf[0].approve')).toMatchObject({ phase: 'Succeeded', outputs: { parameters: [{ name: 'message', value: 'ship it' }] } });
    const wait = run.node('wf[1].wait');
    expect(wait).toMatchObject({ type: 'Suspend', phase: 'Running' });
    run.apply({ type: 'timerFired', nodeId: wait.id });
    expect(run.job('release').container.command).toEqual(['echo', 'ship it']);
  });

  it('names a bad node field selector', () => {
    const run = new Driver(approval).submit();
    const result = run.applyRaw({ type: 'control', control: { action: 'resume', nodeFieldSelector: 'color=red' } });
    expect(result.refused).toMatch(/^node field selector "color=red" is not one of displayName=…/);
  });
});

describe('deadlines', () => {
  it('asks for a timer at the workflow deadline and then fails what runs, still running the exit handler', () => {
    const run = new Driver(twoSteps('  activeDeadlineSeconds: 30'));
    const submitted = run.applyRaw({ type: 'workflowSubmitted' });
    const started = Date.parse(run.state.status.startedAt!);
    expect(submitted.commands).toContainEqual({ type: 'scheduleEvent', at: new Date(started + 30_000).toISOString(), event: { type: 'control', control: { action: 'deadline' } } });
    expect(run.job('first').activeDeadlineSeconds).toBe(30);
    run.apply({ type: 'control', control: { action: 'deadline' } });
    expect(run.node('wf[0].first')).toMatchObject({ phase: 'Failed', message: 'Step exceeded its deadline' });
    expect(run.running()).toContain('wf.onExit');
  });

  it("passes a template's activeDeadlineSeconds or timeout to the pod, whichever is sooner", () => {
    const run = new Driver(twoSteps().replace('    container: {image: busybox, command: ["true"]}', '    timeout: 1m\n    activeDeadlineSeconds: 90\n    container: {image: busybox, command: ["true"]}')).submit();
    expect(run.job('first').activeDeadlineSeconds).toBe(60);
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const workflowExit = (exit: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: exit-}
spec:
  entrypoint: main
  ${exit}
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "exit 1"]}
  - name: report
    inputs: {parameters: [{name: status}, {name: failures}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.status}}"]}
`;

describe('workflow exit handler', () => {
  it('runs spec.onExit after the entrypoint with workflow.status and workflow.failures, then ends', () => {
    // onExit with the exit handler reading the variables as its arguments.
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: exit-}
spec:
  entrypoint: main
  onExit: report
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "exit 1"]}
  - name: report
    steps:
    - - name: say
        template: echo
        arguments: {parameters: [{name: status, value: "{{workflow.status}}"}, {name: failures, value: "{{workflow.failures}}"}]}
  - name: echo
    inputs: {parameters: [{name: status}, {name: failures}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.status}}", "{{inputs.parameters.failures}}"]}
`;
    const driver = new Driver(yaml).submit();
    driver.finish('wf', 'Failed');
    expect(driver.state.status.phase).toBe('Running');
    const exit = driver.node('wf.onExit');
    expect(exit).toMatchObject({ displayName: 'wf.onExit', type: 'Steps', nodeFlag: { hooked: true } });
    expect(driver.node('wf').children ?? []).not.toContain(exit.id);
    const args = driver.job('say').container.command!;
    expect(args[1]).toBe('Failed');
    expect(JSON.parse(args[2]!)).toEqual([
      { displayName: 'wf', message: 'Error (exit code 1)', templateName: 'main', phase: 'Failed', podName: 'wf', finishedAt: driver.node('wf').finishedAt },
    ]);
    driver.finish('say');
    expect(driver.state.status).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
  });

  it('fails a succeeded workflow whose exit handler failed, as Argo does', () => {
    const run = new Driver(workflowExit('hooks: {exit: {template: report, arguments: {parameters: [{name: status, value: "{{workflow.status}}"}, {name: failures, value: "-"}]}}}'));
    run.submit().finish('wf');
    expect(run.job('wf.onExit').container.command).toEqual(['echo', 'Succeeded']);
    run.finish('wf.onExit', 'Failed');
    expect(run.state.status).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
  });
});

const stepExit = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: step-exit-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: step-1
        template: output
        hooks:
          exit:
            template: exit
            arguments: {parameters: [{name: message, value: "{{steps.step-1.outputs.parameters.result}}"}]}
    - - {name: step-2, template: output, onExit: exit-plain}
  - name: output
    container: {image: busybox, command: ["true"]}
    outputs: {parameters: [{name: result, valueFrom: {path: /tmp/r}}]}
  - name: exit
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
  - name: exit-plain
    container: {image: busybox, command: [echo, done]}
`;

describe('step and task exit handlers', () => {
  it("runs a step's exit hook with the step's outputs before the next group starts", () => {
    const run = new Driver(stepExit).submit();
    run.finish('step-1', 'Succeeded', { parameters: [{ name: 'result', value: 'hello world' }] });
    expect(run.running()).toEqual(['step-1.onExit']);
    expect(run.job('step-1.onExit').container.command).toEqual(['echo', 'hello world']);
    const step1 = run.node('wf[0].step-1');
    expect(step1.children).toContain(run.node('wf[0].step-1.onExit').id);
    run.reload().finish('step-1.onExit');
    expect(run.running()).toEqual(['step-2']);
    run.finish('step-2', 'Failed');
    expect(run.running()).toEqual(['step-2.onExit']);
    expect(run.state.status.phase).toBe('Running');
    run.finish('step-2.onExit');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('holds back DAG dependents until a task exit handler ended, across a reload', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-exit-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c, hooks: {exit: {template: c}}}
      - {name: B, template: c, dependencies: [A]}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('A');
    expect(run.running()).toEqual(['A.onExit']);
    run.reload().finish('A.onExit');
    expect(run.running()).toEqual(['B']);
    run.finish('B');
    expect(run.state.status.phase).toBe('Succeeded');
  });
});

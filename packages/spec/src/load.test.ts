import { describe, expect, it } from 'vitest';
import { formatIssue, SpecError } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const STEPS = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: steps-
spec:
  entrypoint: hello-hello-hello
  arguments:
    parameters:
    - name: greeting
      value: hello
  templates:
  - name: hello-hello-hello
    steps:
    - - name: hello1
        template: print-message
        arguments: {parameters: [{name: message, value: "{{workflow.parameters.greeting}}1"}]}
    - - name: hello2a
        template: print-message
        arguments: {parameters: [{name: message, value: 2}]}
      - name: hello2b
        template: print-message
        arguments: {parameters: [{name: message, value: true}]}
  - name: print-message
    inputs:
      parameters:
      - name: message
    container:
      image: busybox
      command: [echo]
      args: ["{{inputs.parameters.message}}"]
`;

describe('loading a workflow', () => {
  it('returns a plain Workflow for steps with parallel groups, values as strings', () => {
    const workflow = loadWorkflow(STEPS, 'steps.yaml');
    expect(lintWorkflow(STEPS, 'steps.yaml')).toEqual([]);
    expect(workflow.metadata).toEqual({ generateName: 'steps-' });
    const steps = workflow.spec.templates?.[0]?.steps;
    expect(steps?.map((group) => group.map((step) => step.name))).toEqual([['hello1'], ['hello2a', 'hello2b']]);
    expect(steps?.[1]?.map((step) => step.arguments?.parameters?.[0]?.value)).toEqual(['2', 'true']);
    expect(Object.getPrototypeOf(workflow)).toBe(Object.prototype);
  });

  it('throws a SpecError holding every issue, in the order of the file', () => {
    const yaml = STEPS.replace('entrypoint: hello-hello-hello', 'entrypoint: nope').replace('template: print-message\n        arguments: {parameters: [{name: message, value: 2}]}', 'template: missing');
    let error: unknown;
    try {
      loadWorkflow(yaml, 'steps.yaml');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).code).toBe('REFERENCE');
    expect((error as SpecError).message).toBe(
      'steps.yaml:6:15: spec.entrypoint: template "nope" not found\n' +
        'steps.yaml:18:19: spec.templates[0].steps[1][0].template: template "missing" not found',
    );
    expect((error as SpecError).issues).toHaveLength(2);
  });

  it('reports metadata issues together with reference issues, but stops at a spec of the wrong shape', () => {
    const named = STEPS.replace('generateName: steps-', 'name: Steps').replace('entrypoint: hello-hello-hello', 'entrypoint: nope');
    expect(lintWorkflow(named, 'wf.yaml').map(formatIssue)).toEqual([
      'wf.yaml:4:9: metadata.name: must be a lower-case DNS-1123 subdomain of at most 253 characters',
      'wf.yaml:6:15: spec.entrypoint: template "nope" not found',
    ]);
    const misshapen = named.replace('command: [echo]', 'command: echo');
    expect(lintWorkflow(misshapen, 'wf.yaml').map(formatIssue)).toEqual([
      'wf.yaml:4:9: metadata.name: must be a lower-case DNS-1123 subdomain of at most 253 characters',
      'wf.yaml:29:16: spec.templates[1].container.command: must be a list of strings',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatIssue, SpecError } from './errors.js';
import { checkWorkflow, lintWorkflow, parseWorkflow } from './load.js';

const lint = (yaml: string) => lintWorkflow(yaml, 'wf.yaml').map(formatIssue);

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
  throw new Error('expected a SpecError');
}

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: refs-}
spec:
`;

describe('a workflow whose references are resolved at submission', () => {
  const BY_TEMPLATE = `${HEAD}  workflowTemplateRef: {name: base}
  arguments:
    parameters:
    - name: who
`;

  it('parses with workflowTemplateRef alone: no templates, no entrypoint, arguments without values', () => {
    const { workflow } = parseWorkflow(BY_TEMPLATE, 'wf.yaml', { parameters: { mode: 'fast' } });
    expect(workflow.spec.workflowTemplateRef).toEqual({ name: 'base' });
    expect(workflow.spec.arguments?.parameters).toEqual([{ name: 'who' }, { name: 'mode', value: 'fast' }]);
  });

  it('is checked once resolved, with issues placed in its own file', () => {
    const parsed = parseWorkflow(BY_TEMPLATE, 'wf.yaml');
    expect(messageOf(() => checkWorkflow(parsed))).toBe(
      'wf.yaml:5:3: spec.entrypoint: an entrypoint is required: name the template to start with\n' +
        'wf.yaml:8:7: spec.arguments.parameters[0]: parameter "who" needs a value or valueFrom (give one with -p who=…)',
    );
    parsed.workflow.spec.entrypoint = 'main';
    parsed.workflow.spec.templates = [{ name: 'main', container: { image: 'busybox' } }];
    parsed.workflow.spec.arguments!.parameters![0]!.value = 'resolved';
    expect(() => checkWorkflow(parsed)).not.toThrow();
  });

  it('still refuses a misshapen workflow before any resolution', () => {
    expect(messageOf(() => parseWorkflow(`${HEAD}  workflowTemplateRef: {clusterScope: yes}\n  templates: {}\n`, 'wf.yaml'))).toBe(
      'wf.yaml:5:24: spec.workflowTemplateRef.name: must be a non-empty string\n' +
        'wf.yaml:5:39: spec.workflowTemplateRef.clusterScope: must be true or false\n' +
        'wf.yaml:6:14: spec.templates: must be a list of templates',
    );
  });
});

describe('calls by templateRef and hooks', () => {
  it('take exactly one of template, inline and templateRef, and a templateRef names both parts', () => {
    expect(lint(`${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: both, template: main, templateRef: {name: lib, template: t}}
      - {name: half, templateRef: {name: lib}}
`)).toEqual([
      'wf.yaml:9:9: spec.templates[0].steps[0][0]: a step has both template and templateRef; keep one',
      'wf.yaml:10:35: spec.templates[0].steps[0][1].templateRef.template: must be a non-empty string',
    ]);
  });

  it('check hooks are maps, each calling a template', () => {
    expect(lint(`${HEAD}  entrypoint: main
  hooks:
    running: {expression: "true"}
    done: [oops]
  templates:
  - {name: main, suspend: {}}
`)).toEqual([
      'wf.yaml:7:14: spec.hooks.running: a hook needs template or templateRef',
      'wf.yaml:8:11: spec.hooks.done: a hook must be a map with template or templateRef',
    ]);
  });

  it('check the templates hooks and exit handlers name exist', () => {
    expect(lint(`${HEAD}  entrypoint: main
  hooks:
    exit: {template: gone}
  templates:
  - name: main
    steps:
    - - {name: a, template: main, onExit: missing, hooks: {exit: {templateRef: {name: lib, template: t}}}}
`)).toEqual([
      'wf.yaml:7:22: spec.hooks.exit.template: template "gone" not found',
      'wf.yaml:11:43: spec.templates[0].steps[0][0].onExit: template "missing" not found',
    ]);
  });

  it('check configMapKeyRef names a ConfigMap and a key', () => {
    expect(lint(`${HEAD}  entrypoint: main
  arguments:
    parameters:
    - {name: a, valueFrom: {configMapKeyRef: {name: settings}}}
  templates:
  - {name: main, suspend: {}}
`)).toEqual(['wf.yaml:8:46: spec.arguments.parameters[0].valueFrom.configMapKeyRef.key: must be a non-empty string']);
  });

  it('check the inputs a stored template needs are supplied by the call', () => {
    const parsed = parseWorkflow(
      `${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: call, templateRef: {name: lib, template: echo}}
`,
      'wf.yaml',
    );
    parsed.workflow.status = { phase: '', storedTemplates: { 'namespaced/lib/echo': { name: 'echo', inputs: { parameters: [{ name: 'text' }] }, container: {} } } };
    expect(messageOf(() => checkWorkflow(parsed))).toBe(
      'wf.yaml:9:9: spec.templates[0].steps[0][0]: inputs.parameters.text was not supplied to step "call" calling template "echo"',
    );
  });
});

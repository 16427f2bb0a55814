import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, type LoadOptions } from './load.js';
import { MAX_PARAMETER_BYTES } from './validate-parameters.js';

const lint = (yaml: string, options?: LoadOptions) => lintWorkflow(yaml, 'wf.yaml', options).map(formatIssue);

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: params-}
spec:
  entrypoint: main
`;

const ECHO = `  - name: echo
    inputs:
      parameters:
      - name: message
      - {name: times, default: "1"}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`;

describe('workflow arguments', () => {
  it('need a value or valueFrom, which -p can give', () => {
    const yaml = `${HEAD}  arguments:
    parameters:
    - name: who
    - name: from-config
      valueFrom: {configMapKeyRef: {name: settings, key: who}}
  templates:
  - {name: main, suspend: {}}
`;
    expect(lint(yaml)).toEqual(['wf.yaml:8:7: spec.arguments.parameters[0]: parameter "who" needs a value or valueFrom (give one with -p who=…)']);
    expect(lint(yaml, { parameters: { who: 'world' } })).toEqual([]);
  });

  it('keep a literal value to the enum, and leave {{…}} values to the run', () => {
    expect(lint(`${HEAD}  arguments:
    parameters:
    - {name: level, value: loud, enum: [quiet, normal]}
    - {name: mode, value: "{{workflow.name}}", enum: [a]}
    - {name: none, value: x, enum: []}
  templates:
  - {name: main, suspend: {}}
`)).toEqual([
      'wf.yaml:8:28: spec.arguments.parameters[0].value: value "loud" of parameter "level" is not one of ["quiet","normal"]',
      'wf.yaml:10:36: spec.arguments.parameters[2].enum: enum of parameter "none" must list at least one value',
    ]);
  });

  it('are refused over 1 MiB, given with -p or written', () => {
    const yaml = `${HEAD}  arguments:
    parameters:
    - name: blob
  templates:
  - {name: main, suspend: {}}
`;
    expect(lint(yaml, { parameters: { blob: 'é'.repeat(MAX_PARAMETER_BYTES / 2 + 1) } })).toEqual([
      `wf.yaml:8:7: spec.arguments.parameters[0].value: parameter "blob" is ${MAX_PARAMETER_BYTES + 2} bytes, over the limit of ${MAX_PARAMETER_BYTES}`,
    ]);
    expect(lint(yaml, { parameters: { blob: 'x'.repeat(MAX_PARAMETER_BYTES) } })).toEqual([]);
  });
});

describe('inputs', () => {
  it("of the entrypoint come from the workflow's arguments, unless they have a default or value", () => {
    const yaml = `${HEAD}  templates:
  - name: main
    inputs:
      parameters:
      - name: needed
      - {name: fixed, value: x}
      - {name: optional, default: y}
    suspend: {}
`;
    expect(lint(yaml)).toEqual(['wf.yaml:5:15: spec.entrypoint: inputs.parameters.needed was not supplied to the entrypoint "main"']);
    expect(lint(yaml, { parameters: { needed: 'yes' } })).toEqual([]);
  });

  it('of a called template come from the arguments of the step or task that calls it', () => {
    expect(lint(`${HEAD}  templates:
  - name: main
    steps:
    - - {name: hello, template: echo, arguments: {parameters: [{name: message, value: hi}]}}
      - {name: bare, template: echo}
    - - {name: graph, template: graph}
  - name: graph
    dag:
      tasks:
      - {name: A, template: echo}
${ECHO}`)).toEqual([
      'wf.yaml:10:9: spec.templates[0].steps[0][1]: inputs.parameters.message was not supplied to step "bare" calling template "echo"',
      'wf.yaml:15:9: spec.templates[1].dag.tasks[0]: inputs.parameters.message was not supplied to task "A" calling template "echo"',
    ]);
  });

  it('of an inline template come from the arguments of its step', () => {
    expect(lint(`${HEAD}  templates:
  - name: main
    steps:
    - - name: inline
        inline:
          inputs: {parameters: [{name: message}]}
          container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`)).toEqual(['wf.yaml:9:9: spec.templates[0].steps[0][0]: inputs.parameters.message was not supplied to step "inline" calling the inline template']);
  });

  it('are supplied with values in their enum', () => {
    expect(lint(`${HEAD}  templates:
  - name: main
    steps:
    - - {name: a, template: pick, arguments: {parameters: [{name: colour, value: mauve}]}}
  - name: pick
    inputs: {parameters: [{name: colour, enum: [red, green], default: blue}]}
    suspend: {}
`)).toEqual([
      'wf.yaml:9:82: spec.templates[0].steps[0][0].arguments.parameters[0].value: value "mauve" of parameter "colour" is not one of ["red","green"]',
      'wf.yaml:11:71: spec.templates[1].inputs.parameters[0].default: value "blue" of parameter "colour" is not one of ["red","green"]',
    ]);
  });
});

describe('step and task arguments', () => {
  it('need a value or valueFrom for each parameter they pass', () => {
    expect(lint(`${HEAD}  templates:
  - name: main
    steps:
    - - {name: hello, template: echo, arguments: {parameters: [{name: message}]}}
${ECHO}`)).toEqual(['wf.yaml:9:64: spec.templates[0].steps[0][0].arguments.parameters[0]: parameter "message" needs a value or valueFrom']);
  });
});

describe('parameter names', () => {
  it('are unique within one list, but may repeat across lists', () => {
    expect(lint(`${HEAD}  arguments: {parameters: [{name: message, value: a}, {name: message, value: b}]}
  templates:
  - name: main
    inputs: {parameters: [{name: message}, {name: message}]}
    outputs: {parameters: [{name: message, value: x}]}
    suspend: {}
`)).toEqual([
      'wf.yaml:6:62: spec.arguments.parameters[1].name: parameter "message" is declared twice in this list',
      'wf.yaml:9:51: spec.templates[0].inputs.parameters[1].name: parameter "message" is declared twice in this list',
    ]);
  });
});

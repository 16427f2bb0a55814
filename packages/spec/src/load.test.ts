import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { lintWorkflow, loadWorkflow, parseParameterFile } from './load.js';

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: t-}
spec:
`;

function issuesOf(yaml: string, options = {}) {
  return lintWorkflow(yaml, 'wf.yaml', options).map((i) => `${i.line}:${i.column} ${i.code} ${i.path}: ${i.message}`);
}

describe('loading a workflow', () => {
  it('loads a valid DAG and converts scalar values to strings as Argo types them', () => {
    const workflow = loadWorkflow(
      `${HEAD}  entrypoint: main
  arguments:
    parameters: [{name: count, value: 3}, {name: flag, value: true}]
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: c}
      - {name: B, depends: "A.Succeeded || A.Failed", template: c}
  - name: c
    container: {image: busybox, command: [echo, 1, false]}
`,
      'wf.yaml',
    );
    expect(workflow.spec.arguments?.parameters).toEqual([
      { name: 'count', value: '3' },
      { name: 'flag', value: 'true' },
    ]);
    expect(workflow.spec.templates?.[1]?.container?.command).toEqual(['echo', '1', 'false']);
  });

  it('applies -p overrides, adding parameters the spec does not declare, and --entrypoint', () => {
    const workflow = loadWorkflow(
      `${HEAD}  entrypoint: main
  arguments: {parameters: [{name: who, value: world}]}
  templates:
  - {name: main, container: {image: busybox, command: ["true"]}}
  - {name: other, container: {image: busybox, command: ["true"]}}
`,
      'wf.yaml',
      { parameters: { who: 'you', extra: 'x' }, entrypoint: 'other' },
    );
    expect(workflow.spec.arguments?.parameters).toEqual([
      { name: 'who', value: 'you' },
      { name: 'extra', value: 'x' },
    ]);
    expect(workflow.spec.entrypoint).toBe('other');
  });

  it('throws a SpecError listing every issue with file, line and column', () => {
    const yaml = `${HEAD}  entrypoint: nope
  templates:
  - {name: a, container: {image: busybox, command: ["true"]}}
  - {name: a, container: {image: busybox, command: ["true"]}}
`;
    expect(() => loadWorkflow(yaml, 'wf.yaml')).toThrow(SpecError);
    try {
      loadWorkflow(yaml, 'wf.yaml');
    } catch (error) {
      expect((error as SpecError).message).toBe(
        'wf.yaml:8:12: spec.templates[1].name: template name "a" is used twice\n' +
          'wf.yaml:5:15: spec.entrypoint: template "nope" not found',
      );
      expect((error as SpecError).code).toBe('DUPLICATE');
    }
  });
});

describe('refusing bad input', () => {
  it('names the line of a YAML syntax error', () => {
    expect(issuesOf(`${HEAD}  entrypoint: [main\n`)[0]).toMatch(/^\d+:\d+ YAML : /);
  });

  it('refuses duplicate keys, several documents, an empty file and a non-map', () => {
    expect(issuesOf(`${HEAD}  entrypoint: a\n  entrypoint: b\n`)[0]).toMatch(/^6:\d+ YAML .*[Uu]nique|^6:\d+ YAML .*duplicate/i);
    expect(issuesOf(`${HEAD}  entrypoint: a\n---\nkind: Workflow\n`)).toEqual(['6:1 YAML : more than one YAML document: submit one workflow per file']);
    expect(issuesOf('')).toEqual(['1:1 YAML : the document is empty']);
    expect(issuesOf('- a\n- b\n')).toEqual(['1:1 SCHEMA : expected a map with apiVersion, kind, metadata and spec']);
  });

  it('refuses alias bombs and oversized documents', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(issuesOf(bomb)[0]).toMatch(/YAML .*alias/i);
    expect(issuesOf(`${HEAD}  entrypoint: a\n`, { maxBytes: 10 })[0]).toMatch(/LIMIT : document is \d+ bytes, over the limit of 10/);
  });

  it('refuses other kinds and API versions', () => {
    const issues = issuesOf(`apiVersion: v1\nkind: WorkflowTemplate\nmetadata: {name: x}\nspec: {templates: [{name: a, container: {image: b}}]}\n`);
    expect(issues).toContain('1:13 SCHEMA apiVersion: expected argoproj.io/v1alpha1, got "v1"');
    expect(issues).toContain('2:7 SCHEMA kind: kind "WorkflowTemplate" is not supported here yet; expected Workflow');
  });

  it('checks names, template kinds and shapes', () => {
    const issues = issuesOf(`apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: Bad_Name}
spec:
  entrypoint: a
  templates:
  - name: a
  - name: b
    container: {image: x}
    script: {image: x, command: [sh]}
  - name: c
    steps:
    - name: not-a-group
      template: a
`);
    expect(issues).toEqual([
      '3:18 SCHEMA metadata.name: must be a lower-case DNS-1123 subdomain of at most 253 characters',
      '7:5 SCHEMA spec.templates[0]: a template needs exactly one of container, script, steps, dag, suspend, resource, data, http, containerSet, plugin (found none)',
      '8:5 SCHEMA spec.templates[1]: a template needs exactly one of container, script, steps, dag, suspend, resource, data, http, containerSet, plugin (found container, script)',
      '10:13 SCHEMA spec.templates[1].script.source: a script template needs source text',
      '13:7 SCHEMA spec.templates[2].steps[0]: each step group must be a list of steps: write "- - name: …"',
    ]);
  });

  it('finds unknown templates in steps, tasks and onExit, and duplicate step names', () => {
    const issues = issuesOf(`${HEAD}  entrypoint: main
  onExit: gone
  templates:
  - name: main
    steps:
    - - {name: s, template: missing}
    - - {name: s, template: main}
`);
    expect(issues).toEqual([
      '6:11 REFERENCE spec.onExit: template "gone" not found',
      '10:29 REFERENCE spec.templates[0].steps[0][0].template: template "missing" not found',
      '11:16 DUPLICATE spec.templates[0].steps[1][0].name: "s" is used twice in template "main"',
    ]);
  });

  it('checks DAG dependencies, depends names, targets and cycles', () => {
    const issues = issuesOf(`${HEAD}  entrypoint: main
  templates:
  - name: main
    dag:
      target: D nowhere
      tasks:
      - {name: A, template: c, dependencies: [C]}
      - {name: B, template: c, depends: "A.Succeeded && ghost"}
      - {name: C, template: c, depends: B}
      - {name: D, template: c, depends: D, dependencies: [A]}
  - name: c
    container: {image: busybox, command: ["true"]}
`);
    expect(issues).toContain('14:9 SCHEMA spec.templates[0].dag.tasks[3]: a task may have dependencies or depends, not both');
    const flat = issuesOf(`${HEAD}  entrypoint: main
  templates:
  - name: main
    dag:
      target: nowhere
      tasks:
      - {name: A, template: c, dependencies: [C]}
      - {name: B, template: c, depends: "A.Succeeded && ghost"}
      - {name: C, template: c, depends: B}
  - name: c
    container: {image: busybox, command: ["true"]}
`);
    expect(flat).toEqual([
      '12:41 REFERENCE spec.templates[0].dag.tasks[1].depends: task "ghost" in depends not found in this dag',
      '9:15 REFERENCE spec.templates[0].dag.target: target task "nowhere" not found in this dag',
      '11:9 CYCLE spec.templates[0].dag.tasks[0]: dependency cycle: A → C → B → A',
    ]);
  });

  it('requires values for workflow parameters and for inputs without defaults', () => {
    const issues = issuesOf(`${HEAD}  entrypoint: main
  arguments:
    parameters:
    - name: missing
    - {name: level, value: loud, enum: [quiet, normal]}
  templates:
  - name: main
    inputs: {parameters: [{name: needed}]}
    steps:
    - - {name: call, template: echo}
  - name: echo
    inputs: {parameters: [{name: message}, {name: opt, default: x}]}
    container: {image: busybox, command: [echo]}
`);
    expect(issues).toEqual([
      '8:7 PARAMETER spec.arguments.parameters[0]: parameter "missing" needs a value (give one with -p missing=…)',
      '9:28 PARAMETER spec.arguments.parameters[1].value: value "loud" of parameter "level" is not one of ["quiet","normal"]',
      '5:15 PARAMETER spec.entrypoint: inputs.parameters.needed was not supplied to the entrypoint "main"',
      '14:9 PARAMETER spec.templates[0].steps[0][0]: inputs.parameters.message was not supplied to "call" calling template "echo"',
    ]);
    expect(issuesOf(`${HEAD}  entrypoint: main\n  arguments: {parameters: [{name: p}]}\n  templates:\n  - {name: main, container: {image: b, command: ["true"]}}\n`, { parameters: { p: 'given' } })).toEqual([]);
  });
});

describe('parameter files', () => {
  it('reads a YAML or JSON map, stringifying values as Argo does', () => {
    expect(parseParameterFile('a: 1\nb: hello\nc: [1, 2]\nd: true\n', 'p.yaml')).toEqual({ a: '1', b: 'hello', c: '[1,2]', d: 'true' });
    expect(parseParameterFile('{"x": "y"}', 'p.json')).toEqual({ x: 'y' });
    expect(() => parseParameterFile('- a\n', 'p.yaml')).toThrow('p.yaml: a parameter file must be a map of names to values');
  });
});

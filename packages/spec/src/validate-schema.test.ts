import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const lint = (yaml: string) => lintWorkflow(yaml, 'wf.yaml').map(formatIssue);

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: shapes-}
spec:
  entrypoint: main
  templates:
`;

describe('the document', () => {
  it('must be a map', () => {
    expect(lint('- apiVersion: argoproj.io/v1alpha1\n')).toEqual(['wf.yaml:1:1: expected a map with apiVersion, kind, metadata and spec']);
  });

  it('must be an argoproj.io/v1alpha1 Workflow', () => {
    expect(lint(HEAD.replace('argoproj.io/v1alpha1', 'v1').replace('kind: Workflow', 'kind: WorkflowTemplate') + '  - {name: main, suspend: {}}\n')).toEqual([
      'wf.yaml:1:13: apiVersion: expected argoproj.io/v1alpha1, got "v1"',
      'wf.yaml:2:7: kind: kind "WorkflowTemplate" is not supported here yet; expected Workflow',
    ]);
    expect(lint(HEAD.replace('apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n', '') + '  - {name: main, suspend: {}}\n')).toEqual([
      'wf.yaml:1:1: apiVersion: apiVersion is missing; expected argoproj.io/v1alpha1',
      'wf.yaml:1:1: kind: kind is missing; expected Workflow',
    ]);
  });
});

describe('metadata', () => {
  const withMetadata = (metadata: string) => lint(HEAD.replace('metadata: {generateName: shapes-}', metadata) + '  - {name: main, suspend: {}}\n');

  it('needs a name or a generateName', () => {
    expect(withMetadata('metadata: {labels: {team: a}}')).toEqual(['wf.yaml:3:11: metadata: metadata needs name or generateName']);
  });

  it('takes a name only as a lower-case DNS-1123 subdomain of at most 253 characters', () => {
    expect(withMetadata('metadata: {name: Hello_World}')).toEqual([
      'wf.yaml:3:18: metadata.name: must be a lower-case DNS-1123 subdomain of at most 253 characters',
    ]);
    expect(withMetadata(`metadata: {name: ${'a'.repeat(254)}}`)).toHaveLength(1);
    expect(withMetadata(`metadata: {name: ${'a'.repeat(253)}}`)).toEqual([]);
  });

  it('takes a generateName prefix of at most 248 characters, so the random suffix fits', () => {
    expect(withMetadata(`metadata: {generateName: ${'a'.repeat(248)}}`)).toEqual([]);
    expect(withMetadata(`metadata: {generateName: ${'a'.repeat(249)}}`)).toEqual([
      'wf.yaml:3:26: metadata.generateName: must be a lower-case DNS-1123 prefix of at most 248 characters',
    ]);
    expect(withMetadata('metadata: {generateName: -x-}')).toHaveLength(1);
  });

  it('keeps label values as strings', () => {
    const workflow = loadWorkflow(HEAD.replace('{generateName: shapes-}', '{generateName: shapes-, labels: {tier: 2, on-call: true}}') + '  - {name: main, suspend: {}}\n', 'wf.yaml');
    expect(workflow.metadata.labels).toEqual({ tier: '2', 'on-call': 'true' });
  });
});

describe('templates', () => {
  it('must be a non-empty list', () => {
    expect(lint(HEAD.replace('  templates:\n', '  templates: []\n'))).toEqual(['wf.yaml:6:14: spec.templates: must be a non-empty list of templates']);
    expect(lint(HEAD.replace('  templates:\n', ''))).toEqual(['wf.yaml:5:3: spec.templates: must be a non-empty list of templates']);
  });

  it("are named by Argo's rule, in at most 128 characters", () => {
    expect(lint(`${HEAD}  - {name: main, suspend: {}}\n  - {name: -bad, suspend: {}}\n  - {name: ${'a'.repeat(129)}, suspend: {}}\n  - {suspend: {}}\n`)).toEqual([
      'wf.yaml:8:12: spec.templates[1].name: template name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most 128 characters)',
      'wf.yaml:9:12: spec.templates[2].name: template name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most 128 characters)',
      'wf.yaml:10:5: spec.templates[3].name: template name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most 128 characters)',
    ]);
  });

  it('have exactly one kind, and the issue names the kinds found', () => {
    expect(lint(`${HEAD}  - name: main
  - name: both
    container: {image: busybox}
    script: {image: python, source: print(1)}
`)).toEqual([
      'wf.yaml:7:5: spec.templates[0]: a template needs exactly one of container, script, steps, dag, suspend, resource, data, http, containerSet, plugin (found none)',
      'wf.yaml:8:5: spec.templates[1]: a template needs exactly one of container, script, steps, dag, suspend, resource, data, http, containerSet, plugin (found container, script)',
    ]);
  });
});

describe('containers and scripts', () => {
  it('turn numbers and booleans in command and args into the strings Argo would pass', () => {
    const workflow = loadWorkflow(`${HEAD}  - name: main
    container:
      image: busybox
      command: [sleep, 1.5]
      args: [--verbose, true, --retries, 3]
      env: [{name: LEVEL, value: 2}]
`, 'wf.yaml');
    expect(workflow.spec.templates?.[0]?.container).toEqual({
      image: 'busybox',
      command: ['sleep', '1.5'],
      args: ['--verbose', 'true', '--retries', '3'],
      env: [{ name: 'LEVEL', value: '2' }],
    });
  });

  it('refuse a map where a string belongs, with a hint about unquoted colons', () => {
    expect(lint(`${HEAD}  - name: main
    container:
      image: [busybox]
      command: echo
      args:
      - echo key: value
`)).toEqual([
      'wf.yaml:9:14: spec.templates[0].container.image: must be a string',
      'wf.yaml:10:16: spec.templates[0].container.command: must be a list of strings',
      'wf.yaml:12:9: spec.templates[0].container.args[0]: must be a string, not a map: YAML reads "key: value" as a map, so quote text that holds ": "',
    ]);
  });

  it('need source text in a script', () => {
    expect(lint(`${HEAD}  - name: main\n    script: {image: python, command: [python]}\n`)).toEqual([
      'wf.yaml:8:13: spec.templates[0].script.source: a script template needs source text',
    ]);
  });

  it('take environment variables with a name and one of value or valueFrom', () => {
    expect(lint(`${HEAD}  - name: main
    container:
      image: busybox
      env:
      - value: x
      - name: TOKEN
        value: abc
        valueFrom: {secretKeyRef: {name: s, key: k}}
`)).toEqual([
      'wf.yaml:11:9: spec.templates[0].container.env[0]: an environment variable needs a name',
      'wf.yaml:12:9: spec.templates[0].container.env[1]: environment variable "TOKEN" has both value and valueFrom; keep one',
    ]);
  });
});

describe('steps and dags', () => {
  it('take steps only as a list of groups, each a list of steps', () => {
    expect(lint(`${HEAD}  - name: main
    steps:
    - name: not-a-group
      template: main
  - name: flat
    steps: {name: x}
`)).toEqual([
      'wf.yaml:9:7: spec.templates[0].steps[0]: each step group must be a list of steps: write "- - name: …"',
      'wf.yaml:12:12: spec.templates[1].steps: steps must be a list of step groups, each a list of steps',
    ]);
  });

  it('need named steps and tasks that call a template', () => {
    expect(lint(`${HEAD}  - name: main
    steps:
    - - {name: a_b, template: main}
      - {name: c}
  - name: graph
    dag:
      tasks:
      - {name: A, template: main, dependencies: A, depends: 3}
`)).toEqual([
      'wf.yaml:9:16: spec.templates[0].steps[0][0].name: step name must match [a-zA-Z0-9][-a-zA-Z0-9]* (at most 128 characters)',
      'wf.yaml:10:9: spec.templates[0].steps[0][1]: a step needs template, inline or templateRef',
      'wf.yaml:14:49: spec.templates[1].dag.tasks[0].dependencies: must be a list of task names',
      'wf.yaml:14:61: spec.templates[1].dag.tasks[0].depends: must be a string',
    ]);
  });

  it('need a list of tasks in a dag', () => {
    expect(lint(`${HEAD}  - name: main\n    dag: {target: A}\n`)).toEqual(['wf.yaml:8:10: spec.templates[0].dag.tasks: a dag needs a list of tasks']);
  });

  it('check inline templates as templates of their own', () => {
    expect(lint(`${HEAD}  - name: main
    steps:
    - - name: inline
        inline:
          container: {image: busybox, args: [{a: 1}]}
          suspend: {}
`)).toEqual([
      'wf.yaml:11:11: spec.templates[0].steps[0][0].inline: a template needs exactly one of container, script, steps, dag, suspend, resource, data, http, containerSet, plugin (found container, suspend)',
      'wf.yaml:11:46: spec.templates[0].steps[0][0].inline.container.args[0]: must be a string, not a map: YAML reads "key: value" as a map, so quote text that holds ": "',
    ]);
  });
});

describe('parameters', () => {
  it('have names of letters, digits, "_" and "-"', () => {
    expect(lint(`${HEAD}  - name: main\n    inputs: {parameters: [{name: "a b"}, {value: x}]}\n    suspend: {}\n`)).toEqual([
      'wf.yaml:8:34: spec.templates[0].inputs.parameters[0].name: a parameter needs a name of letters, digits, "_" or "-"',
      'wf.yaml:8:42: spec.templates[0].inputs.parameters[1].name: a parameter needs a name of letters, digits, "_" or "-"',
    ]);
  });

  it('take scalar values and defaults as the strings Argo makes of them', () => {
    const workflow = loadWorkflow(`${HEAD.replace('spec:\n', 'spec:\n  arguments:\n    parameters:\n    - {name: count, value: 3}\n    - {name: ratio, value: 0.5}\n    - {name: flag, value: true}\n    - {name: tiny, value: 1e-7}\n')}  - name: main
    inputs:
      parameters:
      - {name: level, default: 2, enum: [1, 2]}
      - {name: unset, value: }
    suspend: {}
`, 'wf.yaml', { parameters: { unset: 'given' } });
    expect(workflow.spec.arguments?.parameters?.map((p) => p.value)).toEqual(['3', '0.5', 'true', '0.0000001', 'given']);
    expect(workflow.spec.templates?.[0]?.inputs?.parameters).toEqual([
      { name: 'level', default: '2', enum: ['1', '2'] },
      { name: 'unset' },
    ]);
  });

  it('refuse maps and lists as values: Argo would silently make them empty', () => {
    expect(lint(`${HEAD.replace('spec:\n', 'spec:\n  arguments:\n    parameters: [{name: config, value: {a: 1}}]\n')}  - {name: main, suspend: {}}\n`)).toEqual([
      'wf.yaml:6:40: spec.arguments.parameters[0].value: must be a string, not a map: YAML reads "key: value" as a map, so quote text that holds ": "',
    ]);
  });
});

describe('http templates', () => {
  const http = (fields: string) => lint(`${HEAD}  - name: main\n    http: {url: "http://127.0.0.1/", ${fields}}\n`);

  it.each(['-1', '1.5', '"30"', '3601'])('refuse timeoutSeconds %s', (value) => {
    expect(http(`timeoutSeconds: ${value}`)).toEqual([
      expect.stringMatching(new RegExp(`^wf\\.yaml:8:\\d+: spec\\.templates\\[0\\]\\.http\\.timeoutSeconds: must be a whole number of seconds from 0 to 3600, got ${value.replace(/[.]/g, '\\.')}$`)),
    ]);
  });

  it.each(['0', '30', '3600'])('take timeoutSeconds %s', (value) => {
    expect(http(`timeoutSeconds: ${value}`)).toEqual([]);
  });

  it('need a url', () => {
    expect(lint(`${HEAD}  - name: main\n    http: {method: GET}\n`)).toEqual([expect.stringContaining('an http template needs a url')]);
  });
});

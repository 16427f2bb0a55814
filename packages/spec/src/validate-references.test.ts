import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, type LoadOptions } from './load.js';

const lint = (yaml: string, options?: LoadOptions) => lintWorkflow(yaml, 'wf.yaml', options).map(formatIssue);

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: refs-}
spec:
`;

describe('template references', () => {
  it('need an entrypoint that names a template, also when --entrypoint gives it', () => {
    const templates = '  templates:\n  - {name: main, suspend: {}}\n';
    expect(lint(`${HEAD}${templates}`)).toEqual(['wf.yaml:5:3: spec.entrypoint: an entrypoint is required: name the template to start with']);
    expect(lint(`${HEAD}  entrypoint: mian\n${templates}`)).toEqual(['wf.yaml:5:15: spec.entrypoint: template "mian" not found']);
    expect(lint(`${HEAD}  entrypoint: main\n${templates}`, { entrypoint: 'other' })).toEqual(['wf.yaml:5:15: spec.entrypoint: template "other" not found']);
    expect(lint(`${HEAD}${templates}`, { entrypoint: 'main' })).toEqual([]);
  });

  it('find unknown templates called by steps, tasks and the exit handler', () => {
    expect(lint(`${HEAD}  entrypoint: main
  onExit: cleanup
  templates:
  - name: main
    steps:
    - - {name: first, template: graph}
    - - {name: second, template: missing}
  - name: graph
    dag:
      tasks:
      - {name: A, template: nowhere}
`)).toEqual([
      'wf.yaml:6:11: spec.onExit: template "cleanup" not found',
      'wf.yaml:11:34: spec.templates[0].steps[1][0].template: template "missing" not found',
      'wf.yaml:15:29: spec.templates[1].dag.tasks[0].template: template "nowhere" not found',
    ]);
  });

  it('leave inline templates and templateRef calls to their own checks', () => {
    expect(lint(`${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: inline
        inline: {container: {image: busybox, command: ["true"]}}
      - name: shared
        templateRef: {name: shared-templates, template: echo}
`)).toEqual([]);
  });

  it('find calls of unknown templates inside inline templates', () => {
    expect(lint(`${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: outer
        inline:
          steps:
          - - {name: inner, template: gone}
`)).toEqual(['wf.yaml:12:39: spec.templates[0].steps[0][0].inline.steps[0][0].template: template "gone" not found']);
  });
});

describe('unique names', () => {
  it('refuse a template name used twice', () => {
    expect(lint(`${HEAD}  entrypoint: main\n  templates:\n  - {name: main, suspend: {}}\n  - {name: main, suspend: {}}\n`)).toEqual([
      'wf.yaml:8:12: spec.templates[1].name: template name "main" is used twice',
    ]);
  });

  it('refuse a step name used twice in one template, across its groups', () => {
    expect(lint(`${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: hello, template: wait}
      - {name: world, template: wait}
    - - {name: hello, template: wait}
  - name: other
    steps:
    - - {name: hello, template: wait}
  - {name: wait, suspend: {}}
`)).toEqual(['wf.yaml:11:16: spec.templates[0].steps[1][0].name: step name "hello" is used twice in template "main"']);
  });

  it('refuse a task name used twice in one dag', () => {
    expect(lint(`${HEAD}  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: A, template: wait}
      - {name: A, template: wait}
  - {name: wait, suspend: {}}
`)).toEqual(['wf.yaml:11:16: spec.templates[0].dag.tasks[1].name: task name "A" is used twice in template "main"']);
  });
});

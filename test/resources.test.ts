// WorkflowTemplates, ClusterWorkflowTemplates, ConfigMaps and WorkflowEventBindings through the real
// CLI: Argo's (and kubectl's) verbs to keep them, and workflows that take their spec, templates or
// parameter values from them at submission.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConfigMap, Workflow, WorkflowEventBinding, WorkflowTemplate } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { keysUnder, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-resources-'));
afterAll(() => removePrefix(prefix));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const cli = (...args: string[]) => regatta(args, prefix);

const GREETER = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: greeter
spec:
  entrypoint: greet
  arguments:
    parameters:
    - name: who
      value: template
    - name: punctuation
      value: "!"
  templates:
  - name: greet
    container:
      image: busybox
      command: [echo, "hello {{workflow.parameters.who}}{{workflow.parameters.punctuation}}"]
`;

const TOOLS = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: tools
spec:
  templates:
  - name: say
    inputs:
      parameters:
      - name: text
    container:
      image: busybox
      command: [echo, "{{inputs.parameters.text}}"]
`;

const SETTINGS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  audience: "the whole crew"
  level: "3"
`;

describe('bad input is refused with its place named, storing nothing', () => {
  const cases: { name: string; args: () => string[]; expect: RegExp }[] = [
    {
      name: 'malformed WorkflowTemplate YAML',
      args: () => ['template', 'create', file('broken.yaml', `${TOOLS}  - name: [unclosed\n`)],
      expect: /broken\.yaml:\d+:\d+: /,
    },
    {
      name: 'a WorkflowTemplate calling a template it does not have',
      args: () => ['template', 'create', file('unknown.yaml', TOOLS.replace('  - name: say\n', '  - name: main\n    steps:\n    - - {name: a, template: shout}\n  - name: say\n'))],
      expect: /unknown\.yaml:9:29: spec\.templates\[0\]\.steps\[0\]\[0\]\.template: template "shout" not found/,
    },
    {
      name: 'a document of another kind among WorkflowTemplates',
      args: () => ['template', 'create', file('mixed.yaml', `${TOOLS}---\n${SETTINGS}`)],
      expect: /mixed\.yaml:16:7: kind: document 2: kind "ConfigMap" is not supported here; expected WorkflowTemplate/,
    },
    {
      name: 'a ConfigMap value that is not a string',
      args: () => ['configmap', 'apply', '-f', file('number.yaml', SETTINGS.replace('level: "3"', 'level: 3'))],
      expect: /number\.yaml:7:10: data\.level: must be a string; quote it: "3"/,
    },
    {
      name: 'a workflow whose WorkflowTemplate does not exist',
      args: () => ['run', file('orphan.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: orphan-}\nspec:\n  workflowTemplateRef: {name: nowhere}\n')],
      expect: /orphan\.yaml:5:24: spec\.workflowTemplateRef: WorkflowTemplate "nowhere" not found in namespace "default"/,
    },
    {
      name: 'a step whose templateRef names a missing WorkflowTemplate',
      args: () => [
        'submit',
        file('missing-ref.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: ref-}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    steps:\n    - - {name: a, templateRef: {name: absent, template: say}}\n'),
      ],
      expect: /missing-ref\.yaml:9:32: spec\.templates\[0\]\.steps\[0\]\[0\]\.templateRef: WorkflowTemplate "absent" not found in namespace "default"/,
    },
    {
      name: 'a parameter from a ConfigMap that does not exist',
      args: () => [
        'lint',
        file('no-config.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: cm-}\nspec:\n  entrypoint: main\n  arguments:\n    parameters:\n    - name: p\n      valueFrom: {configMapKeyRef: {name: nothing, key: k}}\n  templates:\n  - {name: main, container: {image: busybox, command: ["true"]}}\n'),
      ],
      expect: /no-config\.yaml:9:36: spec\.arguments\.parameters\[0\]\.valueFrom\.configMapKeyRef: parameter "p": ConfigMap "nothing" not found in namespace "default"/,
    },
  ];

  for (const testCase of cases) {
    it(`refuses ${testCase.name}`, async () => {
      const result = await cli(...testCase.args());
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(testCase.expect);
      expect(await keysUnder(prefix)).toEqual([]);
    });
  }
});

describe('WorkflowTemplates and ClusterWorkflowTemplates', () => {
  it('are created from a file of several documents, listed, shown and deleted', async () => {
    const created = await cli('template', 'create', file('templates.yaml', `${GREETER}---\n${TOOLS}`));
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/^Name: +greeter\nNamespace: +default\nCreated: +/);
    expect((await cli('template', 'list')).stdout).toBe('NAME\ngreeter\ntools\n');
    const shown = JSON.parse((await cli('template', 'get', 'tools', '-o', 'json')).stdout) as WorkflowTemplate;
    expect(shown).toMatchObject({ kind: 'WorkflowTemplate', metadata: { name: 'tools', namespace: 'default', uid: expect.any(String) } });
    expect(shown.spec.templates?.[0]?.name).toBe('say');
    expect((await cli('template', 'list', '-n', 'elsewhere')).stdout).toBe('NAME\n');
  });

  it('refuse to create one that exists, creating none of the others', async () => {
    const again = await cli('template', 'create', file('again.yaml', `${TOOLS.replace('name: tools', 'name: fresh')}---\n${GREETER}`));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('WorkflowTemplate "greeter" in namespace "default" already exists\n');
    expect((await cli('template', 'get', 'fresh')).stderr).toBe('WorkflowTemplate "fresh" not found in namespace "default"\n');
  });

  it('go to the namespace of -n, and a document naming another is refused', async () => {
    expect((await cli('template', 'create', '-n', 'team', file('team.yaml', TOOLS))).code).toBe(0);
    expect((await cli('template', 'list', '-n', 'team')).stdout).toBe('NAME\ntools\n');
    const other = await cli('template', 'create', '-n', 'team', file('other.yaml', TOOLS.replace('name: tools', 'name: tools\n  namespace: ops')));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('WorkflowTemplate "tools" is in namespace "ops", not in "team" given by -n');
    expect((await cli('template', 'delete', 'tools', '-n', 'team')).stdout).toBe("WorkflowTemplate 'tools' deleted\n");
    expect((await cli('template', 'delete', 'tools', '-n', 'team')).code).toBe(1);
  });

  it('cluster-scoped ones are kept apart and have no namespace', async () => {
    const cluster = TOOLS.replace('kind: WorkflowTemplate', 'kind: ClusterWorkflowTemplate').replace('name: tools', 'name: shared-tools');
    expect((await cli('cluster-template', 'create', file('cluster.yaml', cluster))).code).toBe(0);
    expect((await cli('cluster-template', 'list')).stdout).toBe('NAME\nshared-tools\n');
    const shown = JSON.parse((await cli('cluster-template', 'get', 'shared-tools', '-o', 'json')).stdout) as WorkflowTemplate;
    expect(shown.metadata.namespace).toBeUndefined();
    expect((await cli('template', 'get', 'shared-tools')).code).toBe(1);
    const wrongKind = await cli('cluster-template', 'create', file('not-cluster.yaml', TOOLS));
    expect(wrongKind.stderr).toContain('expected ClusterWorkflowTemplate');
  });
});

describe('ConfigMaps', () => {
  it('are applied as kubectl applies them, shown, listed and deleted', async () => {
    const path = file('settings.yaml', `${SETTINGS}---\n${SETTINGS.replace('name: settings', 'name: scratch')}`);
    expect((await cli('configmap', 'apply', '-f', path)).stdout).toBe('configmap/settings created\nconfigmap/scratch created\n');
    expect((await cli('configmap', 'apply', '-f', path)).stdout).toBe('configmap/settings unchanged\nconfigmap/scratch unchanged\n');
    const changed = file('changed.yaml', SETTINGS.replace('"3"', '"4"'));
    expect((await cli('configmap', 'apply', '-f', changed)).stdout).toBe('configmap/settings configured\n');
    const shown = JSON.parse((await cli('configmap', 'get', 'settings', '-o', 'json')).stdout) as ConfigMap;
    expect(shown.data).toEqual({ audience: 'the whole crew', level: '4' });
    expect((await cli('configmap', 'list')).stdout).toMatch(/^NAME +DATA +AGE\nscratch +2 +\d+s\nsettings +2 +\d+s\n$/);
    expect((await cli('configmap', 'delete', 'scratch')).stdout).toBe('configmap "scratch" deleted\n');
    expect((await cli('configmap', 'get', 'scratch')).stderr).toBe('ConfigMap "scratch" not found in namespace "default"\n');
  });
});

describe('workflows that refer to stored resources', () => {
  async function run(yaml: string, ...args: string[]): Promise<Workflow> {
    const result = await cli('run', file('workflow.yaml', yaml), '-o', 'json', ...args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Workflow;
  }
  const rootResult = (workflow: Workflow) => workflow.status?.nodes?.[workflow.metadata.name!]?.outputs?.result;

  it('take a global argument from a ConfigMap at submission', async () => {
    const workflow = await run(`apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: from-config-}
spec:
  entrypoint: announce
  arguments:
    parameters:
    - name: audience
      valueFrom:
        configMapKeyRef: {name: settings, key: audience}
  templates:
  - name: announce
    container:
      image: busybox
      command: [echo, "welcome, {{workflow.parameters.audience}}"]
`);
    expect(workflow.spec.arguments?.parameters).toEqual([{ name: 'audience', value: 'the whole crew' }]);
    expect(rootResult(workflow)).toBe('welcome, the whole crew');
  });

  it('run the spec of their WorkflowTemplate, their own arguments and -p winning', async () => {
    const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: by-template-}
spec:
  workflowTemplateRef: {name: greeter}
  arguments:
    parameters:
    - {name: punctuation, value: "?"}
`;
    const workflow = await run(yaml, '-p', 'who=regatta');
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(workflow.spec.workflowTemplateRef).toEqual({ name: 'greeter' });
    expect(workflow.spec.entrypoint).toBe('greet');
    expect(rootResult(workflow)).toBe('hello regatta?');
    expect((await cli('lint', file('lint.yaml', yaml))).stdout).toContain('lint.yaml: no linting errors found');
  });

  it('run an exit hook called by templateRef from its stored copy', async () => {
    const workflow = await run(`apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hooked-}
spec:
  entrypoint: main
  hooks:
    exit:
      templateRef: {name: tools, template: say}
      arguments: {parameters: [{name: text, value: "all done"}]}
  templates:
  - name: main
    container: {image: busybox, command: [echo, working]}
`);
    expect(Object.keys(workflow.status?.storedTemplates ?? {})).toEqual(['namespaced/tools/say']);
    const hook = Object.values(workflow.status?.nodes ?? {}).find((node) => node.name.endsWith('.onExit'));
    expect(hook?.outputs?.result).toBe('all done');
  });
});

const BINDING = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: event-consumer
spec:
  event:
    selector: payload.message != "" && discriminator == "my-discriminator"
  submit:
    workflowTemplateRef:
      name: my-wf-tmple
    arguments:
      parameters:
      - name: message
        valueFrom:
          event: payload.message
`;

describe('WorkflowEventBindings (regatta event-binding)', () => {
  it('applies, lists, shows and deletes WorkflowEventBindings as kubectl does', async () => {
    const path = file('binding.yaml', `${BINDING}---\n${BINDING.replace('name: event-consumer', 'name: second')}`);
    expect((await cli('event-binding', 'apply', '-f', path, '-n', 'argo')).stdout).toBe(
      'workfloweventbinding.argoproj.io/event-consumer created\nworkfloweventbinding.argoproj.io/second created\n',
    );
    expect((await cli('event-binding', 'apply', '-f', path, '-n', 'argo')).stdout).toContain('event-consumer unchanged');
    expect((await cli('event-binding', 'list', '-n', 'argo')).stdout).toMatch(/^NAME +TEMPLATE +AGE\nevent-consumer +my-wf-tmple +\d+s\nsecond +my-wf-tmple +\d+s\n$/);
    const shown = JSON.parse((await cli('event-binding', 'get', 'second', '-n', 'argo', '-o', 'json')).stdout) as WorkflowEventBinding;
    expect(shown.spec.submit?.arguments?.parameters?.[0]?.valueFrom.event).toBe('payload.message');
    expect((await cli('event-binding', 'delete', 'second', '-n', 'argo')).stdout).toBe('workfloweventbinding.argoproj.io "second" deleted\n');
    expect((await cli('event-binding', 'get', 'second', '-n', 'argo')).stderr).toBe('WorkflowEventBinding "second" not found in namespace "argo"\n');
  });

  it('refuses a file with a bad expression or a bad shape, naming the place, and stores nothing', async () => {
    const bad = file('bad.yaml', `${BINDING.replace('name: event-consumer', 'name: fine')}---\n${BINDING.replace('name: event-consumer', 'name: broken').replace('event: payload.message', 'event: payload.message +')}`);
    const refused = await cli('event-binding', 'apply', '-f', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('bad.yaml: WorkflowEventBinding "broken": spec.submit.arguments.parameters[0].valueFrom.event: expression "payload.message +"');
    const shape = await cli('event-binding', 'apply', '-f', file('shape.yaml', BINDING.replace('    selector:', '    selectr:')));
    expect(shape.stderr).toMatch(/shape\.yaml:7:\d+: spec\.event\.selector: must be an expression/);
    expect((await cli('event-binding', 'list')).stdout).toBe('NAME  TEMPLATE  AGE\n');
  });
});

import { describe, expect, it } from 'vitest';
import { formatPath, type ConfigMap, type Template, type Workflow, type WorkflowSpec, type WorkflowTemplate } from '@regatta/spec';
import { refersToStoredResources, resolveReferences, type ResourceReader } from './references.js';

const container = (name: string, extra: Partial<Template> = {}): Template => ({ name, container: { image: 'busybox', command: ['echo', name] }, ...extra });

function workflowTemplate(name: string, spec: WorkflowSpec, namespace = 'default'): WorkflowTemplate {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name, namespace }, spec };
}

/** An in-memory stand-in for the stored resources, counting reads. */
function reader(templates: WorkflowTemplate[], configMaps: Record<string, Record<string, string>> = {}, cluster: WorkflowTemplate[] = []) {
  const reads: string[] = [];
  const find = (list: WorkflowTemplate[], namespace: string | undefined, name: string) =>
    structuredClone(list.find((t) => t.metadata.name === name && (namespace === undefined || t.metadata.namespace === namespace)));
  const resources: ResourceReader = {
    getWorkflowTemplate: async (namespace, name) => (reads.push(`wt:${namespace}/${name}`), find(templates, namespace, name)),
    getClusterWorkflowTemplate: async (name) => {
      reads.push(`cwt:${name}`);
      const found = find(cluster, undefined, name);
      return found && { ...found, kind: 'ClusterWorkflowTemplate' };
    },
    getConfigMap: async (namespace, name) => {
      reads.push(`cm:${namespace}/${name}`);
      const data = configMaps[`${namespace}/${name}`];
      return data && ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data } satisfies ConfigMap);
    },
  };
  return { resources, reads };
}

function workflow(spec: WorkflowSpec, namespace = 'default'): Workflow {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'wf-', namespace }, spec };
}

const issuesOf = async (wf: Workflow, resources: ResourceReader) => (await resolveReferences(wf, resources)).map(({ path, message }) => `${formatPath(path)}: ${message}`);

describe('a workflow with workflowTemplateRef', () => {
  const base = workflowTemplate('base', {
    entrypoint: 'main',
    onExit: 'cleanup',
    hooks: { exit: { template: 'cleanup' }, running: { template: 'main', expression: 'true' } },
    arguments: {
      parameters: [
        { name: 'who', value: 'template' },
        { name: 'mode', enum: ['a', 'b'], value: 'a' },
        { name: 'level', value: 'low', description: 'from the template' },
      ],
    },
    templates: [container('main'), container('cleanup')],
  });

  it('takes the WorkflowTemplate spec under its own: entrypoint, fields, hooks by name, templates by name', async () => {
    const wf = workflow({ workflowTemplateRef: { name: 'base' }, onExit: 'mine', hooks: { exit: { template: 'mine' } }, templates: [container('mine'), container('main', { name: 'main' })] });
    expect(await issuesOf(wf, reader([base]).resources)).toEqual([]);
    expect(wf.spec.workflowTemplateRef).toEqual({ name: 'base' });
    expect(wf.spec.entrypoint).toBe('main');
    expect(wf.spec.onExit).toBe('mine');
    expect(wf.spec.hooks).toEqual({ exit: { template: 'mine' }, running: { template: 'main', expression: 'true' } });
    // The workflow's own templates keep their places; the template's others follow.
    expect(wf.spec.templates?.map((t) => t.name)).toEqual(['mine', 'main', 'cleanup']);
  });

  it('joins argument parameters by name: the workflow\'s values win, the template\'s fill in', async () => {
    const wf = workflow({ workflowTemplateRef: { name: 'base' }, arguments: { parameters: [{ name: 'who', value: 'workflow' }, { name: 'level', description: 'mine' }, { name: 'extra', value: 'x' }] } });
    expect(await issuesOf(wf, reader([base]).resources)).toEqual([]);
    expect(wf.spec.arguments?.parameters).toEqual([
      { name: 'who', value: 'workflow' },
      { name: 'level', value: 'low', description: 'mine' },
      { name: 'extra', value: 'x' },
      { name: 'mode', enum: ['a', 'b'], value: 'a' },
    ]);
  });

  it('reads a ClusterWorkflowTemplate with clusterScope', async () => {
    const wf = workflow({ workflowTemplateRef: { name: 'base', clusterScope: true } });
    const { resources, reads } = reader([], {}, [base]);
    expect(await issuesOf(wf, resources)).toEqual([]);
    expect(reads).toEqual(['cwt:base']);
    expect(wf.spec.entrypoint).toBe('main');
  });

  it('names the missing WorkflowTemplate and its namespace, and changes nothing more', async () => {
    const wf = workflow({ workflowTemplateRef: { name: 'gone' } }, 'team');
    expect(await issuesOf(wf, reader([base]).resources)).toEqual(['spec.workflowTemplateRef: WorkflowTemplate "gone" not found in namespace "team"']);
    expect(wf.spec).toEqual({ workflowTemplateRef: { name: 'gone' } });
  });
});

describe('templateRef calls', () => {
  const library = workflowTemplate('library', {
    templates: [
      {
        name: 'pipeline',
        steps: [[{ name: 'first', template: 'echo', onExit: 'tidy' }], [{ name: 'second', templateRef: { name: 'other', template: 'leaf' } }]],
      },
      container('echo'),
      container('tidy'),
      { name: 'graph', dag: { tasks: [{ name: 'a', template: 'echo', hooks: { exit: { template: 'tidy' } } }, { name: 'b', inline: { steps: [[{ name: 'deep', template: 'echo' }]] } }] } },
      container('unused'),
    ],
  });
  const other = workflowTemplate('other', { templates: [container('leaf')] });

  it('copies the called template and everything it calls, naming plain calls by their WorkflowTemplate', async () => {
    const wf = workflow({ entrypoint: 'main', templates: [{ name: 'main', steps: [[{ name: 'run', templateRef: { name: 'library', template: 'pipeline' } }]] }] });
    expect(await issuesOf(wf, reader([library, other]).resources)).toEqual([]);
    const stored = wf.status?.storedTemplates ?? {};
    expect(Object.keys(stored).sort()).toEqual(['namespaced/library/echo', 'namespaced/library/pipeline', 'namespaced/library/tidy', 'namespaced/other/leaf']);
    expect(stored['namespaced/library/pipeline']?.steps).toEqual([
      [{ name: 'first', templateRef: { name: 'library', template: 'echo' }, hooks: { exit: { templateRef: { name: 'library', template: 'tidy' } } } }],
      [{ name: 'second', templateRef: { name: 'other', template: 'leaf' } }],
    ]);
    // The stored WorkflowTemplate itself is not changed.
    expect(library.spec.templates?.[0]?.steps?.[0]?.[0]?.template).toBe('echo');
    expect(wf.status?.phase).toBe('');
  });

  it('follows DAG tasks, their hooks and inline templates, and spec hooks', async () => {
    const wf = workflow({
      entrypoint: 'main',
      hooks: { exit: { templateRef: { name: 'other', template: 'leaf' } } },
      templates: [{ name: 'main', dag: { tasks: [{ name: 'g', templateRef: { name: 'library', template: 'graph' } }] } }],
    });
    expect(await issuesOf(wf, reader([library, other]).resources)).toEqual([]);
    const stored = wf.status?.storedTemplates ?? {};
    expect(Object.keys(stored).sort()).toEqual(['namespaced/library/echo', 'namespaced/library/graph', 'namespaced/library/tidy', 'namespaced/other/leaf']);
    const tasks = stored['namespaced/library/graph']?.dag?.tasks;
    expect(tasks?.[0]?.hooks?.exit).toEqual({ templateRef: { name: 'library', template: 'tidy' } });
    expect(tasks?.[1]?.inline?.steps?.[0]?.[0]).toEqual({ name: 'deep', templateRef: { name: 'library', template: 'echo' } });
  });

  it('reads each WorkflowTemplate once and stops at templates that call each other', async () => {
    const loop = workflowTemplate('loop', {
      templates: [
        { name: 'ping', steps: [[{ name: 'p', template: 'pong' }]] },
        { name: 'pong', steps: [[{ name: 'q', template: 'ping' }]] },
      ],
    });
    const wf = workflow({ entrypoint: 'main', templates: [{ name: 'main', steps: [[{ name: 'a', templateRef: { name: 'loop', template: 'ping' } }, { name: 'b', templateRef: { name: 'loop', template: 'pong' } }]] }] });
    const { resources, reads } = reader([loop]);
    expect(await issuesOf(wf, resources)).toEqual([]);
    expect(Object.keys(wf.status?.storedTemplates ?? {})).toEqual(['namespaced/loop/ping', 'namespaced/loop/pong']);
    expect(reads).toEqual(['wt:default/loop']);
  });

  it('keys ClusterWorkflowTemplates apart and keeps clusterScope on their inner calls', async () => {
    const wf = workflow({ entrypoint: 'main', templates: [{ name: 'main', steps: [[{ name: 'a', templateRef: { name: 'library', template: 'pipeline', clusterScope: true } }]] }] });
    expect(await issuesOf(wf, reader([other], {}, [library]).resources)).toEqual([]);
    const stored = wf.status?.storedTemplates ?? {};
    expect(Object.keys(stored).sort()).toEqual(['cluster/library/echo', 'cluster/library/pipeline', 'cluster/library/tidy', 'namespaced/other/leaf']);
    expect(stored['cluster/library/pipeline']?.steps?.[0]?.[0]?.templateRef).toEqual({ name: 'library', template: 'echo', clusterScope: true });
  });

  it('names each missing WorkflowTemplate or template at the call, or at the call that led to it', async () => {
    const broken = workflowTemplate('broken', { templates: [{ name: 'outer', steps: [[{ name: 'x', template: 'absent' }, { name: 'y', templateRef: { name: 'nowhere', template: 't' } }]] }] });
    const wf = workflow({
      entrypoint: 'main',
      templates: [
        {
          name: 'main',
          steps: [[{ name: 'a', templateRef: { name: 'missing', template: 't' } }, { name: 'b', templateRef: { name: 'library', template: 'nope' } }, { name: 'c', templateRef: { name: 'broken', template: 'outer' } }]],
        },
      ],
    });
    expect(await issuesOf(wf, reader([library, broken]).resources)).toEqual([
      'spec.templates[0].steps[0][0].templateRef: WorkflowTemplate "missing" not found in namespace "default"',
      'spec.templates[0].steps[0][1].templateRef: template "nope" not found in WorkflowTemplate "library"',
      'spec.templates[0].steps[0][2].templateRef: template "outer" of WorkflowTemplate "broken": steps[0][0].templateRef: template "absent" not found in WorkflowTemplate "broken"',
      'spec.templates[0].steps[0][2].templateRef: template "outer" of WorkflowTemplate "broken": steps[0][1].templateRef: WorkflowTemplate "nowhere" not found in namespace "default"',
    ]);
  });
});

describe('parameters from ConfigMaps', () => {
  const fromConfigMap = (name: string, key: string, extra = {}) => ({ name: 'p', valueFrom: { configMapKeyRef: { name, key }, ...extra } });

  it('takes workflow arguments from the workflow\'s namespace and leaves template inputs (stored ones too) to their nodes', async () => {
    const library = workflowTemplate('library', { templates: [container('echo', { inputs: { parameters: [fromConfigMap('settings', 'b')] } })] }, 'team');
    const wf = workflow(
      {
        entrypoint: 'main',
        arguments: { parameters: [fromConfigMap('settings', 'a')] },
        templates: [{ name: 'main', inputs: { parameters: [fromConfigMap('settings', 'a')] }, steps: [[{ name: 's', templateRef: { name: 'library', template: 'echo' } }]] }],
      },
      'team',
    );
    const { resources, reads } = reader([library], { 'team/settings': { a: 'alpha', b: 'beta' } });
    expect(await issuesOf(wf, resources)).toEqual([]);
    expect(wf.spec.arguments?.parameters).toEqual([{ name: 'p', value: 'alpha' }]);
    expect(wf.spec.templates?.[0]?.inputs?.parameters).toEqual([fromConfigMap('settings', 'a')]);
    expect(wf.status?.storedTemplates?.['namespaced/library/echo']?.inputs?.parameters).toEqual([fromConfigMap('settings', 'b')]);
    expect(reads.filter((read) => read.startsWith('cm:'))).toEqual(['cm:team/settings']);
  });

  it('falls back to a default when the ConfigMap or key is missing, and names the place otherwise', async () => {
    const wf = workflow({
      entrypoint: 'main',
      arguments: {
        parameters: [
          { ...fromConfigMap('settings', 'gone', { default: 'from-valueFrom' }), name: 'a' },
          { ...fromConfigMap('absent', 'k'), name: 'b', default: 'from-parameter' },
          { ...fromConfigMap('settings', 'gone'), name: 'c' },
          { ...fromConfigMap('absent', 'k'), name: 'd' },
          { ...fromConfigMap('{{workflow.name}}', 'k'), name: 'e' },
        ],
      },
      templates: [container('main')],
    });
    expect(await issuesOf(wf, reader([], { 'default/settings': { there: 'yes' } }).resources)).toEqual([
      'spec.arguments.parameters[2].valueFrom.configMapKeyRef: parameter "c": key "gone" not found in ConfigMap "settings"',
      'spec.arguments.parameters[3].valueFrom.configMapKeyRef: parameter "d": ConfigMap "absent" not found in namespace "default"',
      'spec.arguments.parameters[4].valueFrom.configMapKeyRef: parameter "e": Regatta does not substitute a ConfigMap\'s name or key, so they cannot hold {{…}}',
    ]);
    expect(wf.spec.arguments?.parameters?.slice(0, 2)).toEqual([
      { name: 'a', value: 'from-valueFrom' },
      { name: 'b', value: 'from-parameter', default: 'from-parameter' },
    ]);
  });

  it('checks a template input\'s reference without reading its ConfigMap, which need not exist yet', async () => {
    const library = workflowTemplate('library', { templates: [container('echo', { inputs: { parameters: [fromConfigMap('later', '{{inputs.parameters.k}}')] } })] });
    const wf = workflow({
      entrypoint: 'main',
      templates: [{ name: 'main', inputs: { parameters: [fromConfigMap('absent', 'k')] }, steps: [[{ name: 's', templateRef: { name: 'library', template: 'echo' } }]] }],
    });
    const { resources, reads } = reader([library]);
    expect(await issuesOf(wf, resources)).toEqual([
      'spec.templates[0].steps[0][0].templateRef: template "echo" of WorkflowTemplate "library": inputs.parameters[0].valueFrom.configMapKeyRef: parameter "p": Regatta does not substitute a ConfigMap\'s name or key, so they cannot hold {{…}}',
    ]);
    expect(wf.spec.templates?.[0]?.inputs?.parameters).toEqual([fromConfigMap('absent', 'k')]);
    expect(reads.filter((read) => read.startsWith('cm:'))).toEqual([]);
  });
});

describe('whether a workflow refers to stored resources', () => {
  it('is true for workflowTemplateRef, templateRef in calls and hooks, and configMapKeyRef parameters only', () => {
    const plain = { entrypoint: 'main', templates: [container('main')] };
    expect(refersToStoredResources(workflow(plain))).toBe(false);
    expect(refersToStoredResources(workflow({ workflowTemplateRef: { name: 'x' } }))).toBe(true);
    expect(refersToStoredResources(workflow({ ...plain, hooks: { exit: { templateRef: { name: 'x', template: 'y' } } } }))).toBe(true);
    expect(refersToStoredResources(workflow({ ...plain, arguments: { parameters: [{ name: 'p', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] } }))).toBe(true);
    const inline = { name: 'main', steps: [[{ name: 's', inline: { name: '', steps: [[{ name: 't', templateRef: { name: 'x', template: 'y' } }]] } }]] };
    expect(refersToStoredResources(workflow({ entrypoint: 'main', templates: [inline] }))).toBe(true);
  });
});

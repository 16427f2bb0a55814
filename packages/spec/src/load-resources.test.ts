import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { loadClusterWorkflowTemplates, loadConfigMaps, loadSecrets, loadWorkflowTemplates } from './load-resources.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
  throw new Error('expected a SpecError');
}

const LIBRARY = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: library
spec:
  arguments:
    parameters:
    - name: who
  templates:
  - name: greet
    inputs:
      parameters:
      - name: text
    container: {image: busybox, command: [echo, "{{inputs.parameters.text}}"]}
`;

describe('loading WorkflowTemplates', () => {
  it('takes every document of a file; a template may leave its entrypoint and argument values to its users', () => {
    const templates = loadWorkflowTemplates(`${LIBRARY}---\n${LIBRARY.replace('name: library', 'name: second')}`, 't.yaml');
    expect(templates.map((t) => [t.kind, t.metadata.name])).toEqual([
      ['WorkflowTemplate', 'library'],
      ['WorkflowTemplate', 'second'],
    ]);
    expect(templates[0]?.spec.entrypoint).toBeUndefined();
  });

  it('checks a template as a workflow is checked, naming the document in a file of several', () => {
    const broken = LIBRARY.replace('name: library', 'name: broken').replace(
      '  - name: greet\n',
      '  - name: main\n    dag:\n      tasks:\n      - {name: a, template: greet, dependencies: [b], arguments: {parameters: [{name: text, value: x}]}}\n      - {name: b, template: gone, dependencies: [a]}\n  - name: greet\n',
    );
    expect(messageOf(() => loadWorkflowTemplates(`${LIBRARY}---\n${broken}`, 't.yaml'))).toBe(
      't.yaml:28:9: spec.templates[0].dag.tasks[0]: document 2: dependency cycle: a → b → a\n' +
        't.yaml:29:29: spec.templates[0].dag.tasks[1].template: document 2: template "gone" not found',
    );
  });

  it('checks the entrypoint it names, and the parameters its steps pass', () => {
    const named = LIBRARY.replace('spec:\n', 'spec:\n  entrypoint: missing\n');
    expect(messageOf(() => loadWorkflowTemplates(named, 't.yaml'))).toBe('t.yaml:6:15: spec.entrypoint: template "missing" not found');
  });

  it('refuses a document of another kind, naming it', () => {
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n';
    expect(messageOf(() => loadWorkflowTemplates(`${LIBRARY}---\n${configMap}`, 't.yaml'))).toBe(
      't.yaml:16:1: spec: document 2: spec must be a map with templates\n' +
        't.yaml:16:13: apiVersion: document 2: expected argoproj.io/v1alpha1, got "v1"\n' +
        't.yaml:17:7: kind: document 2: kind "ConfigMap" is not supported here; expected WorkflowTemplate',
    );
    expect(messageOf(() => loadClusterWorkflowTemplates(LIBRARY, 't.yaml'))).toBe(
      't.yaml:2:7: kind: kind "WorkflowTemplate" is not supported here; expected ClusterWorkflowTemplate',
    );
  });

  it('needs a name, since workflows call a template by it', () => {
    expect(messageOf(() => loadWorkflowTemplates(LIBRARY.replace('name: library', 'generateName: lib-'), 't.yaml'))).toBe('t.yaml:4:3: metadata: metadata needs a name');
  });

  it('refuses malformed YAML with its line', () => {
    expect(messageOf(() => loadWorkflowTemplates(`${LIBRARY}  - name: [unclosed\n`, 't.yaml'))).toMatch(/^t\.yaml:\d+:\d+: /);
  });

  it('refuses workflowTemplateRef in a template', () => {
    expect(messageOf(() => loadWorkflowTemplates(LIBRARY.replace('spec:\n', 'spec:\n  workflowTemplateRef: {name: other}\n'), 't.yaml'))).toBe(
      't.yaml:6:24: spec.workflowTemplateRef: a WorkflowTemplate cannot take its spec from another by workflowTemplateRef',
    );
  });
});

describe('loading ConfigMaps', () => {
  const CONFIG = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: team\ndata:\n  mode: fast\n  note: "3"\n';

  it('takes v1 ConfigMaps with data of strings, several to a file', () => {
    const configMaps = loadConfigMaps(`${CONFIG}---\n${CONFIG.replace('name: settings', 'name: empty').replace(/\ndata:[\s\S]*$/, '\ndata:\n')}`, 'cm.yaml');
    expect(configMaps).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' }, data: { mode: 'fast', note: '3' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', namespace: 'team' } },
    ]);
  });

  it('refuses values that are not strings, bad keys, binaryData and a missing name, as Kubernetes does', () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\nbinaryData: {x: AAAA}\ndata:\n  count: 3\n  bad key: x\n';
    expect(messageOf(() => loadConfigMaps(bad, 'cm.yaml'))).toBe(
      'cm.yaml:3:11: metadata: metadata needs a name\n' +
        'cm.yaml:4:13: binaryData: binaryData is not supported: use data, a map of keys to strings\n' +
        'cm.yaml:6:10: data.count: must be a string; quote it: "3"\n' +
        'cm.yaml:7:12: data.bad key: key "bad key" must be letters, digits, "-", "_" or "." (at most 253), and not "." or ".."',
    );
  });

  it('refuses a Workflow where a ConfigMap is expected', () => {
    expect(messageOf(() => loadConfigMaps(LIBRARY, 'cm.yaml'))).toBe(
      'cm.yaml:1:13: apiVersion: expected v1, got "argoproj.io/v1alpha1"\ncm.yaml:2:7: kind: kind "WorkflowTemplate" is not supported here; expected ConfigMap',
    );
  });
});

describe('loading Secrets', () => {
  it('takes v1 Secrets with base64 data, stringData and a type', () => {
    const text = 'apiVersion: v1\nkind: Secret\nmetadata: {name: api, namespace: team}\ntype: kubernetes.io/basic-auth\ndata: {username: YWRtaW4=}\nstringData: {password: "plain text"}\n';
    expect(loadSecrets(text, 's.yaml')).toEqual([
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: 'team' }, type: 'kubernetes.io/basic-auth', data: { username: 'YWRtaW4=' }, stringData: { password: 'plain text' } },
    ]);
  });

  it('refuses data that is not base64, values that are not strings and bad keys, never quoting a value', () => {
    const bad = 'apiVersion: v1\nkind: Secret\nmetadata: {name: api}\ndata: {token: "hunter2!"}\nstringData:\n  pin: 1234\n  "..": x\n';
    const message = messageOf(() => loadSecrets(bad, 's.yaml'));
    expect(message).toBe(
      's.yaml:4:15: data.token: must be base64 (use stringData for plain text)\n' +
        's.yaml:6:8: stringData.pin: must be a string (quote it)\n' +
        's.yaml:7:9: stringData...: key ".." must be letters, digits, "-", "_" or "." (at most 253), and not "." or ".."',
    );
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('1234');
  });
});

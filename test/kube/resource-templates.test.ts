// Resource templates end to end: Argo YAML through `regatta run` in local mode, the worker given the
// control plane's kubeconfig (REGATTA_KUBECONFIG), acting on ConfigMaps (no kubelet needed).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { MERGE_PATCH } from '@regatta/executors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { ROOT } from '../support/cli.js';
import { removePrefix, uniquePrefix } from '../support/redis.js';
import { nodeByDisplayName, runYaml } from '../support/run-yaml.js';
import { until } from '../support/until.js';

// Argo's examples, where the conformance run finds them.
const EXAMPLES = process.env.ARGO_EXAMPLES ?? join(ROOT, '../shared/argo-examples');
const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-resource-test-'));
let plane: ControlPlane;
let core: CoreV1Api;

beforeAll(async () => {
  plane = await startControlPlane({ controllers: false });
  const admin = new KubeConfig();
  admin.loadFromFile(plane.kubeconfigPath);
  core = admin.makeApiClient(CoreV1Api);
}, 180_000);

afterAll(async () => {
  await plane?.stop();
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

const run = (name: string, yaml: string, env: Record<string, string> = { REGATTA_KUBECONFIG: plane.kubeconfigPath }) => runYaml(dir, name, yaml, prefix, env);
const outputs = (node: { outputs?: { parameters?: { name: string; value?: string }[] } }) => Object.fromEntries((node.outputs?.parameters ?? []).map((p) => [p.name, p.value]));

const LIFECYCLE = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: resource-lifecycle}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: create
        template: create
    - - name: merge
        template: merge
        arguments: {parameters: [{name: cm, value: "{{steps.create.outputs.parameters.name}}"}]}
    - - name: json
        template: json
        arguments: {parameters: [{name: cm, value: "{{steps.create.outputs.parameters.name}}"}]}
    - - name: get
        template: get
        arguments: {parameters: [{name: cm, value: "{{steps.create.outputs.parameters.name}}"}]}
    - - name: replace
        template: replace
        arguments: {parameters: [{name: cm, value: "{{steps.create.outputs.parameters.name}}"}]}
    - - name: delete
        template: delete
        arguments: {parameters: [{name: selector, value: cleanup=true}]}
  - name: create
    resource:
      action: create
      setOwnerReference: true
      successCondition: data.ready == yes
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata:
          generateName: lifecycle-
          labels: {cleanup: "true"}
        data: {ready: "no"}
    outputs:
      parameters:
      - name: name
        valueFrom: {jsonPath: '{.metadata.name}'}
      - name: data
        valueFrom: {jqFilter: '.data'}
  - name: merge
    inputs: {parameters: [{name: cm}]}
    resource:
      action: patch
      mergeStrategy: merge
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: "{{inputs.parameters.cm}}"}
        data: {merged: "1"}
  - name: json
    inputs: {parameters: [{name: cm}]}
    resource:
      action: patch
      mergeStrategy: json
      flags: [configmap, "{{inputs.parameters.cm}}"]
      manifest: |
        - op: add
          path: /data/json
          value: "2"
  - name: get
    inputs: {parameters: [{name: cm}]}
    resource:
      action: get
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: "{{inputs.parameters.cm}}"}
    outputs:
      parameters:
      - name: both
        valueFrom: {jsonPath: '{.data.merged}-{.data.json}'}
      - name: keys
        valueFrom: {jqFilter: '.data | keys | join(",")'}
  - name: replace
    inputs: {parameters: [{name: cm}]}
    resource:
      action: replace
      successCondition: data.replaced = yes, !data.ready
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: "{{inputs.parameters.cm}}", labels: {cleanup: "true"}}
        data: {replaced: "yes"}
    outputs:
      parameters:
      - name: data
        valueFrom: {jqFilter: '.data'}
  - name: delete
    inputs: {parameters: [{name: selector}]}
    resource:
      action: delete
      flags: [configmap, --selector, "{{inputs.parameters.selector}}"]
`;

describe('resource templates against the API server', () => {
  it('create waits for its successCondition, then patch (merge, json), get with outputs, replace, delete by selector', async () => {
    const running = run('lifecycle', LIFECYCLE);
    // The create node waits until the ConfigMap says ready: this test says it, once it sees the workflow's owner reference.
    let created: Awaited<ReturnType<CoreV1Api['listNamespacedConfigMap']>>['items'][number] | undefined;
    await until('the created ConfigMap', async () => {
      created = (await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'cleanup=true' })).items[0];
      return created !== undefined;
    }, 30_000);
    expect(created!.metadata!.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: 'resource-lifecycle', controller: true })]);
    await core.patchNamespacedConfigMap({ name: created!.metadata!.name!, namespace: 'default', body: { data: { ready: 'yes' } } }, MERGE_PATCH);
    const { code, workflow } = await running;
    expect(code).toBe(0);
    expect(outputs(nodeByDisplayName(workflow, 'create'))).toEqual({ name: created!.metadata!.name, data: '{"ready":"yes"}' });
    expect(outputs(nodeByDisplayName(workflow, 'get'))).toEqual({ both: '1-2', keys: 'json,merged,ready' });
    expect(outputs(nodeByDisplayName(workflow, 'replace'))).toEqual({ data: '{"replaced":"yes"}' });
    expect((await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'cleanup=true' })).items).toHaveLength(0);
  }, 60_000);

  it('fails a node whose failureCondition holds, and errors one whose manifest has no kind, creating nothing', async () => {
    const { code, workflow } = await run(
      'failing',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: resource-failing}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: broken, template: broken}
      - {name: no-kind, template: no-kind}
  - name: broken
    resource:
      action: apply
      successCondition: data.state == ok
      failureCondition: data.state in (broken, lost)
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: resource-broken}
        data: {state: broken}
  - name: no-kind
    resource:
      action: create
      manifest: |
        metadata: {name: resource-no-kind}
`,
    );
    expect(code).not.toBe(0);
    expect(nodeByDisplayName(workflow, 'broken')).toMatchObject({ phase: 'Failed', message: "failure condition 'data.state in (broken,lost)' evaluated true" });
    expect(nodeByDisplayName(workflow, 'no-kind')).toMatchObject({ phase: 'Error', message: 'resource create: the manifest needs apiVersion and kind' });
    expect((await core.readNamespacedConfigMap({ name: 'resource-broken', namespace: 'default' })).data).toEqual({ state: 'broken' });
    await core.deleteNamespacedConfigMap({ name: 'resource-broken', namespace: 'default' });
  }, 60_000);

  it("runs Argo's examples: resource-delete-with-flags.yaml and k8s-set-owner-reference.yaml", async () => {
    const deleted = await run('delete-with-flags', readFileSync(join(EXAMPLES, 'resource-delete-with-flags.yaml'), 'utf8'));
    expect(deleted.code).toBe(0);
    expect(nodeByDisplayName(deleted.workflow, 'submit-resource').phase).toBe('Succeeded');
    expect(nodeByDisplayName(deleted.workflow, 'delete-resource').phase).toBe('Succeeded');
    await expect(core.readNamespacedConfigMap({ name: 'resource-delete-with-flags', namespace: 'default' })).rejects.toMatchObject({ code: 404 });

    const owned = await run('set-owner-reference', readFileSync(join(EXAMPLES, 'k8s-set-owner-reference.yaml'), 'utf8'));
    expect(owned.code).toBe(0);
    const [configMap] = (await core.listNamespacedConfigMap({ namespace: 'default' })).items.filter((cm) => cm.metadata?.name?.startsWith('owned-eg-'));
    expect(configMap?.data).toEqual({ some: 'value' });
    expect(configMap?.metadata?.ownerReferences).toEqual([
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: owned.workflow.metadata.name, uid: owned.workflow.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    await core.deleteNamespacedConfigMap({ name: configMap!.metadata!.name!, namespace: 'default' });
  }, 60_000);

  it('fails a resource node with a clear message when the worker has no kubeconfig', async () => {
    const { code, workflow } = await run(
      'no-api',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: resource-no-api}
spec:
  entrypoint: main
  templates:
  - name: main
    resource:
      action: get
      manifest: '{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}'
`,
      {},
    );
    expect(code).not.toBe(0);
    expect(nodeByDisplayName(workflow, 'resource-no-api').message).toMatch(/^resource templates need access to a Kubernetes API/);
  }, 60_000);
});

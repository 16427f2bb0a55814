// The Kubernetes executor against the real control plane (test/support/kube-control-plane.ts): the
// kube-scheduler binds its pods to a Node this test registers and keeps Ready; the scenarios
// (test/support/kube-executor-scenarios.ts) play the kubelet and the wait container.
import { readFile } from 'node:fs/promises';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Role } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ANNOTATION_OUTPUTS, KubeClient, KubernetesExecutor, MERGE_PATCH } from '@regatta/executors';
import { reportOutputs } from '../../packages/executors/src/kubernetes/launcher/wait-reporter.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { EXECUTOR_IMAGE, jobOf, kubernetesExecutorScenarios, run, type ExecutorCluster } from '../support/kube-executor-scenarios.js';
import { until } from '../support/until.js';

const namespace = 'regatta-kexec';
const nodeName = 'kexec-node';
let plane: ControlPlane;
let cluster: ExecutorCluster;
let heartbeat: NodeJS.Timeout | undefined;

beforeAll(async () => {
  plane = await startControlPlane();
  const admin = new KubeConfig();
  admin.loadFromFile(plane.kubeconfigPath);
  const core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await registerNode(core);
  // Pod admission refuses pods until the namespace's default service account has its token.
  await until('the default service account', async () => ((await core.readNamespacedServiceAccount({ name: 'default', namespace }).catch(() => undefined))?.secrets?.length ?? 0) > 0, 60_000);
  // The executor reads the kubeconfig file, as `regatta worker --kubeconfig` does.
  cluster = { namespace, nodeName, core, client: () => new KubeClient({ kubeconfig: plane.kubeconfigPath }), server: plane.server, ca: plane.ca, token: plane.token };
}, 180_000);

afterAll(async () => {
  clearInterval(heartbeat);
  await plane?.stop();
});

/** A Node the scheduler may bind to, its Ready condition renewed so the node lifecycle controller keeps it. */
async function registerNode(core: CoreV1Api): Promise<void> {
  await core.createNode({ body: { metadata: { name: nodeName, labels: { 'kubernetes.io/hostname': nodeName } } } });
  const report = () => {
    const now = new Date().toISOString();
    const resources = { cpu: '8', memory: '16Gi', pods: '110' };
    const conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'the test plays the kubelet', lastHeartbeatTime: now, lastTransitionTime: now }];
    const status = { conditions, capacity: resources, allocatable: resources, addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] };
    return core.patchNodeStatus({ name: nodeName, body: { status } }, MERGE_PATCH);
  };
  await report();
  heartbeat = setInterval(() => void report().catch(() => undefined), 5000);
}

kubernetesExecutorScenarios(() => cluster);

describe('KubernetesExecutor against the API server\'s validation', () => {
  it("refuses a pod Kubernetes finds invalid with the API server's words, creating nothing", async () => {
    const executor = new KubernetesExecutor({ namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false }, cluster.client());
    try {
      const job = jobOf('invalid', `    container: {image: alpine, command: [sh], resources: {limits: {cpu: "not-a-quantity"}}}`);
      const result = await run(executor, job).result;
      expect(result.phase).toBe('Error');
      expect(result.message).toMatch(/^cannot create pod regatta-kexec\/invalid: .*quantities must match the regular expression/);
      expect((await cluster.core.listNamespacedPod({ namespace, labelSelector: 'workflows.argoproj.io/workflow=invalid' })).items).toHaveLength(0);
    } finally {
      executor.close();
    }
  });
});

describe("the wait container's RBAC (deploy/kubernetes/wait-role.yaml)", () => {
  it('lets a pod write its outputs annotation, and nothing more', async () => {
    const [role] = parseAllDocuments(await readFile(new URL('../../deploy/kubernetes/wait-role.yaml', import.meta.url), 'utf8')).map((document) => document.toJSON() as V1Role);
    const admin = new KubeConfig();
    admin.loadFromFile(plane.kubeconfigPath);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({ namespace, body: role! });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: { metadata: { name: 'limited-as-wait' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role!.metadata!.name! }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: plane.limited.name }] },
    });
    await cluster.core.createNamespacedPod({ namespace, body: { metadata: { name: 'rbac-probe' }, spec: { containers: [{ name: 'main', image: 'alpine' }] } } });
    const limited = new KubeConfig();
    limited.loadFromFile(plane.limited.kubeconfigPath);
    const asWait = limited.makeApiClient(CoreV1Api);
    // RBAC bindings take effect at once, but give the authorizer's cache a moment.
    await until('the role to apply', () => reportOutputs({ namespace, name: 'rbac-probe' }, { result: 'r', exitCode: '0' }, asWait).then(() => true, () => false), 10_000);
    const probe = await cluster.core.readNamespacedPod({ namespace, name: 'rbac-probe' });
    expect(probe.metadata?.annotations?.[ANNOTATION_OUTPUTS]).toBe('{"result":"r","exitCode":"0"}');
    await expect(asWait.deleteNamespacedPod({ namespace, name: 'rbac-probe' })).rejects.toMatchObject({ code: 403 });
    await expect(asWait.readNamespacedPod({ namespace, name: 'rbac-probe' })).rejects.toMatchObject({ code: 403 });
  });
});

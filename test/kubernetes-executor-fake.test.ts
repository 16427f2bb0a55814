// The Kubernetes executor's scenarios against the in-repo fake API server: the faster second proof
// beside test/kube/kubernetes-executor.test.ts (the real control plane), and the one that runs where
// the control plane is not built. The fake also expires watches itself, as a compacted watch cache.
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { ANNOTATION_OUTPUTS, KubeClient, KubernetesExecutor, MERGE_PATCH } from '@regatta/executors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from './support/fake-kube-api.js';
import { EXECUTOR_IMAGE, jobOf, kubernetesExecutorScenarios, run, type ExecutorCluster } from './support/kube-executor-scenarios.js';
import { until } from './support/until.js';

let api: FakeKubeApi;
let cluster: ExecutorCluster;

function config(): KubeConfig {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromOptions({
    clusters: [{ name: 'fake', server: api.url, skipTLSVerify: true }],
    users: [{ name: 'admin', token: 'unused' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'admin' }],
    currentContext: 'fake',
  });
  return kubeconfig;
}

beforeAll(async () => {
  api = await startFakeKubeApi('fake-node');
  cluster = { namespace: 'regatta-kexec', nodeName: 'fake-node', core: config().makeApiClient(CoreV1Api), client: () => new KubeClient({}, config()), server: api.url, token: 'unused' };
});
afterAll(() => api?.close());

kubernetesExecutorScenarios(() => cluster);

describe('the shared pod informer, against a watch cache that forgets', () => {
  it('relists when the server answers its resumed watch with 410, and sees what changed meanwhile', async () => {
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, warn: () => {} }, cluster.client());
    try {
      const job = jobOf('expiry');
      const node = run(executor, job);
      const name = await until(`pod ${job.pod!.name}`, async () => (await cluster.core.readNamespacedPod({ name: job.pod!.name, namespace: cluster.namespace }).catch(() => undefined))?.metadata?.name);
      // A change the informer does not watch (not Regatta's pod) moves the server past the version the informer holds.
      await cluster.core.createNamespacedPod({ namespace: cluster.namespace, body: { metadata: { name: 'not-ours' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
      api.expire();
      api.cutWatches();
      await cluster.core.patchNamespacedPod({ name, namespace: cluster.namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: '{"result":"r","exitCode":"0"}' } } } }, MERGE_PATCH);
      await cluster.core.patchNamespacedPodStatus({ name, namespace: cluster.namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      expect(await node.result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'r' } });
      expect(executor.informer.counts.lists).toBe(2);
    } finally {
      executor.close();
    }
  });
});

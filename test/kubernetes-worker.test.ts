// `regatta worker --executor kubernetes` as a user starts it, against the fake API server through a
// kubeconfig file: a steps workflow whose second step takes the first's output parameter runs as two
// pods, the test playing the kubelet and the wait container; the worker then stops cleanly (its watch
// closed). The executor itself is tested in kubernetes-executor-fake.test.ts and the kube suite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { ANNOTATION_OUTPUTS, MERGE_PATCH } from '@regatta/executors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from './support/cli.js';
import { startFakeKubeApi, type FakeKubeApi } from './support/fake-kube-api.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const namespace = 'regatta-pods';
const prefix = uniquePrefix();
let api: FakeKubeApi;
let dir: string;

beforeAll(async () => {
  api = await startFakeKubeApi('node-1');
  dir = await mkdtemp(join(tmpdir(), 'regatta-kube-worker-'));
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const workflow = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pass-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: produce
        template: produce
    - - name: consume
        template: consume
        arguments: {parameters: [{name: value, value: "{{steps.produce.outputs.parameters.answer}}"}]}
  - name: produce
    container: {image: alpine, command: [sh, -c, "echo 42 > /tmp/answer"]}
    outputs: {parameters: [{name: answer, valueFrom: {path: /tmp/answer}}]}
  - name: consume
    inputs: {parameters: [{name: value}]}
    container: {image: alpine, command: [echo, "got {{inputs.parameters.value}}"]}
`;

describe('regatta worker --executor kubernetes', () => {
  it("runs a workflow's pods through the cluster of its kubeconfig, in --namespace, passing outputs from pod to pod", async () => {
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await writeFile(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "${api.url}", insecure-skip-tls-verify: true}}]
users: [{name: worker, user: {token: unused}}]
contexts: [{name: fake, context: {cluster: fake, user: worker}}]
current-context: fake
`,
    );
    const file = join(dir, 'pass.yaml');
    await writeFile(file, workflow);
    const scheduler = startService(['scheduler'], prefix);
    const worker = startService(['worker', '--executor', 'kubernetes', '--kubeconfig', kubeconfig, '--namespace', namespace, '--executor-image', 'regatta/regatta:test', '--qps', '50'], prefix);
    try {
      const submitted = regatta(['submit', file, '--watch', '-o', 'json'], prefix);
      const admin = new KubeConfig();
      admin.loadFromFile(kubeconfig);
      const core = admin.makeApiClient(CoreV1Api);
      const podFor = (template: string) =>
        until(`the ${template} pod`, async () => (await core.listNamespacedPod({ namespace })).items.find((pod) => pod.spec?.containers.some((c) => c.command?.join(' ').includes(template === 'produce' ? '/tmp/answer' : 'got'))), 30_000);
      const succeed = async (pod: V1Pod, outputs: object) => {
        const name = pod.metadata!.name!;
        await core.patchNamespacedPod({ name, namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: JSON.stringify(outputs) } } } }, MERGE_PATCH);
        await core.patchNamespacedPodStatus({ name, namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      };
      await succeed(await podFor('produce'), { result: '', exitCode: '0', parameters: [{ name: 'answer', value: '42' }] });
      const consume = await podFor('consume');
      // The second pod's command carries the value the first pod's wait container reported.
      expect(consume.spec!.containers.find((c) => c.name === 'main')!.command).toEqual(['/var/run/regatta/launcher', '--', 'echo', 'got 42']);
      await succeed(consume, { result: 'got 42', exitCode: '0' });
      const result = await submitted;
      expect(result.code).toBe(0);
      const status = (JSON.parse(result.stdout) as { status: { phase: string; nodes: Record<string, { displayName: string; outputs?: { result?: string } }> } }).status;
      expect(status.phase).toBe('Succeeded');
      expect(Object.values(status.nodes).find((node) => node.displayName === 'consume')?.outputs?.result).toBe('got 42');
    } finally {
      await Promise.all([stopService(scheduler.child), stopService(worker.child)]);
    }
    expect(worker.child.exitCode).toBe(0);
  }, 60_000);

  it('refuses to start without an executor image, naming the flag', async () => {
    const result = await regatta(['worker', '--executor', 'kubernetes', '--kubeconfig', join(dir, 'none.yaml')], prefix);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the kubernetes executor needs REGATTA_EXECUTOR_IMAGE (or --executor-image)');
  });
});

// The Kubernetes executor's scenarios against the in-repo fake API server: the faster second proof
// beside test/kube/kubernetes-executor.test.ts (the real control plane), and the one that runs where
// the control plane is not built. The fake also expires watches itself, as a compacted watch cache.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { ANNOTATION_OUTPUTS, KubeClient, KubernetesExecutor, MERGE_PATCH } from '@regatta/executors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from './support/fake-kube-api.js';
import { EXECUTOR_IMAGE, jobOf, kubernetesExecutorScenarios, run, type ExecutorCluster } from './support/kube-executor-scenarios.js';
import { until } from './support/until.js';
import { awaitOutputs, reportOutputs, waitEnvironment } from '../packages/executors/src/kubernetes/launcher/wait-reporter.js';

const execFileAsync = promisify(execFile);
/** The built regatta-launcher, as Regatta's image holds it. */
const LAUNCHER_MAIN = fileURLToPath(new URL('../packages/executors/dist/kubernetes/launcher/main.js', import.meta.url));

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
  it('reads the end of a pod that left its selector while it was not watching (another worker labelled it completed), rather than call it deleted', async () => {
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, warn: () => {} }, cluster.client());
    try {
      const job = jobOf('labelled');
      const node = run(executor, job);
      const name = await until(`pod ${job.pod!.name}`, async () => (await cluster.core.readNamespacedPod({ name: job.pod!.name, namespace: cluster.namespace }).catch(() => undefined))?.metadata?.name);
      await cluster.core.createNamespacedPod({ namespace: cluster.namespace, body: { metadata: { name: 'not-ours-either' }, spec: { containers: [{ name: 'c', image: 'x' }] } } });
      api.expire();
      api.cutWatches();
      await cluster.core.patchNamespacedPod({ name, namespace: cluster.namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: '{"result":"r","exitCode":"0"}' } } } }, MERGE_PATCH);
      await cluster.core.patchNamespacedPodStatus({ name, namespace: cluster.namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      await cluster.core.patchNamespacedPod({ name, namespace: cluster.namespace, body: { metadata: { labels: { 'workflows.argoproj.io/completed': 'true' } } } }, MERGE_PATCH);
      expect(await node.result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'r' } });
    } finally {
      executor.close();
    }
  });
});

describe('the pod programs and the executor together', () => {
  it("runs the pod's main container under the installed launcher, and the outputs the wait reporter writes on the pod end the node, with the host it ran on", async () => {
    const runDir = await mkdtemp(join(tmpdir(), 'regatta-run-'));
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false }, cluster.client());
    try {
      const answer = join(runDir, 'answer');
      const job = jobOf('programs', `    container: {image: alpine, command: [sh, -c, "echo 42 > ${answer}; echo hello"]}
    outputs:
      parameters:
      - name: answer
        valueFrom: {path: ${answer}}`);
      const node = run(executor, job);
      const pod = await until('the pod', () => cluster.core.readNamespacedPod({ name: job.pod!.name, namespace: cluster.namespace }).catch(() => undefined));
      const container = (name: string) => pod.spec!.containers.find((candidate) => candidate.name === name)!;
      const envOf = (name: string) => Object.fromEntries((container(name).env ?? []).filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value!]));
      // What regatta-init and the main container do in the pod, with the run folder here.
      await execFileAsync(process.execPath, [LAUNCHER_MAIN, 'install', join(runDir, 'launcher')]);
      const [, separator, ...argv] = container('main').command!;
      expect(separator).toBe('--');
      const launched = await execFileAsync(join(runDir, 'launcher'), ['--', ...argv], { env: { PATH: process.env.PATH, ...envOf('main') } });
      expect(launched.stdout).toBe('hello\n');
      // What the wait container does: its environment, with the downward API's pod name and namespace.
      const environment = waitEnvironment(runDir, { ...envOf('wait'), REGATTA_POD_NAME: pod.metadata!.name, REGATTA_NAMESPACE: cluster.namespace });
      await reportOutputs(environment.pod, await awaitOutputs(environment), cluster.core);
      await cluster.core.patchNamespacedPodStatus({ name: pod.metadata!.name!, namespace: cluster.namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      // hostNodeName: the node the scheduler put the pod on, for retries' nodeAntiAffinity.
      expect(await node.result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hello', parameters: [{ name: 'answer', value: '42' }] }, hostNodeName: 'fake-node' });
    } finally {
      executor.close();
      await rm(runDir, { recursive: true, force: true });
    }
  });
});

describe('a namespace out of quota', () => {
  it('waits until the ResourceQuota admits the pod, as Argo leaves the node pending', async () => {
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, warn: () => {} }, cluster.client());
    try {
      api.exceedQuota(2);
      const job = jobOf('quota');
      const node = run(executor, job);
      const name = await until(`pod ${job.pod!.name}`, async () => (await cluster.core.readNamespacedPod({ name: job.pod!.name, namespace: cluster.namespace }).catch(() => undefined))?.metadata?.name);
      await cluster.core.patchNamespacedPod({ name, namespace: cluster.namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: '{"result":"","exitCode":"0"}' } } } }, MERGE_PATCH);
      await cluster.core.patchNamespacedPodStatus({ name, namespace: cluster.namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      expect((await node.result).phase).toBe('Succeeded');
    } finally {
      executor.close();
    }
  });

  it('stops waiting when the node is stopped', async () => {
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, warn: () => {} }, cluster.client());
    try {
      api.exceedQuota(1000);
      const node = run(executor, jobOf('quota-stopped'));
      // Long enough for the backoff between refusals to pass a second: the stop cuts it short.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      node.abort('Stopped');
      expect(await node.result).toMatchObject({ phase: 'Failed', message: 'Stopped' });
    } finally {
      api.exceedQuota(0);
      executor.close();
    }
  });
});

describe('logs', () => {
  it("streams the main container's and the sidecars' logs through pods/log once the pod runs, sidecars' lines named", async () => {
    const executor = new KubernetesExecutor({ namespace: cluster.namespace, executorImage: EXECUTOR_IMAGE, warn: () => {} }, cluster.client());
    try {
      const job = jobOf('logs', `    container: {image: alpine, command: [sh, -c, "echo hi"]}
    sidecars:
    - {name: db, image: alpine, command: [sleep, "60"]}`);
      const lines: string[] = [];
      const controller = new AbortController();
      const result = executor.run(job, { signal: controller.signal, onLog: (stream, line) => lines.push(`${stream}: ${line}`) });
      const name = await until(`pod ${job.pod!.name}`, async () => (await cluster.core.readNamespacedPod({ name: job.pod!.name, namespace: cluster.namespace }).catch(() => undefined))?.metadata?.name);
      api.setLog(cluster.namespace, name, 'main', 'line one\nline two\n');
      api.setLog(cluster.namespace, name, 'db', 'ready\n');
      await cluster.core.patchNamespacedPodStatus({ name, namespace: cluster.namespace, body: { status: { phase: 'Running' } } }, MERGE_PATCH);
      await until('the log lines', async () => lines.length === 3);
      await cluster.core.patchNamespacedPod({ name, namespace: cluster.namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: '{"result":"hi","exitCode":"0"}' } } } }, MERGE_PATCH);
      await cluster.core.patchNamespacedPodStatus({ name, namespace: cluster.namespace, body: { status: { phase: 'Succeeded' } } }, MERGE_PATCH);
      expect((await result).phase).toBe('Succeeded');
      expect(lines.sort()).toEqual(['stdout: [db] ready', 'stdout: line one', 'stdout: line two']);
    } finally {
      executor.close();
    }
  });
});

// The local kubelet (test/support/local-kubelet.ts) against the real control plane: its Node is Ready,
// the real kube-scheduler binds pods to it, their containers run as local processes and their status,
// exit codes and logs read as a kubelet's do through the API (client-node and kubectl, `logs -f`
// included); deleting a running pod stops it. Needs the cache built by scripts/kube/build-control-plane.sh.
import { execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiException, CoordinationV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeBinary, startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { startLocalKubelet, type LocalKubelet } from '../support/local-kubelet.js';
import { until } from '../support/until.js';

const run = promisify(execFile);
const namespace = 'regatta-kubelet';
const nodeName = 'regatta-node';
let plane: ControlPlane;
let kubelet: LocalKubelet;
let core: CoreV1Api;

function kubectl(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(kubeBinary('kubectl'), [`--kubeconfig=${plane.kubeconfigPath}`, `--cache-dir=${join(plane.dir, 'kubectl-cache')}`, ...args], {
    env: { PATH: process.env.PATH ?? '' },
  });
}

beforeAll(async () => {
  plane = await startControlPlane({ nodes: [nodeName, 'regatta-done-node'] });
  const config = new KubeConfig();
  config.loadFromFile(plane.kubeconfigPath);
  core = config.makeApiClient(CoreV1Api);
  kubelet = await startLocalKubelet({ plane, nodeName });
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  // Pod admission refuses pods until the namespace's default service account has its token.
  await until('the default service account and its token', async () => {
    const account = await core.readNamespacedServiceAccount({ name: 'default', namespace }).catch(() => undefined);
    return (account?.secrets?.length ?? 0) > 0;
  }, 60_000);
}, 180_000);

afterAll(async () => {
  await kubelet?.stop();
  await plane?.stop();
});

/** A pod for the scheduler to place (no nodeName), restartPolicy Never. */
async function createPod(name: string, spec: Omit<NonNullable<V1Pod['spec']>, 'restartPolicy'>): Promise<V1Pod> {
  return core.createNamespacedPod({ namespace, body: { metadata: { name }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 5, ...spec } } });
}

async function podEnded(name: string): Promise<V1Pod> {
  return until(`pod ${name} to end`, async () => {
    const pod = await core.readNamespacedPod({ name, namespace });
    return (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') && pod;
  }, 60_000);
}

describe('the local kubelet', () => {
  it('registers a Ready node with capacity, untainted, and renews its Lease', async () => {
    const node = await until('the node to be Ready and untainted', async () => {
      const current = await core.readNode({ name: nodeName });
      const ready = current.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      return ready && (current.spec?.taints ?? []).length === 0 && current;
    }, 60_000);
    expect(node.status?.allocatable).toMatchObject({ cpu: '8', memory: '16Gi', pods: '110' });
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(kubelet.port);
    const admin = new KubeConfig();
    admin.loadFromFile(plane.kubeconfigPath);
    const lease = await admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ name: nodeName, namespace: 'kube-node-lease' });
    expect(lease.spec?.holderIdentity).toBe(nodeName);
    expect(lease.spec?.renewTime).toBeTruthy();
    const { stdout } = await kubectl(['get', 'node', nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
    expect(stdout).toBe('True');
  }, 90_000);

  it('runs a pod the scheduler binds to it: Succeeded, exit code 0, its log read through the API and kubectl', async () => {
    await createPod('hello', { containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', 'echo hello; echo world'] }] });
    const pod = await podEnded('hello');
    expect(pod.spec?.nodeName).toBe(nodeName);
    expect(pod.status).toMatchObject({ phase: 'Succeeded', podIP: '127.0.0.1', hostIP: '127.0.0.1' });
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(pod.status?.conditions?.map((c) => c.type).sort()).toEqual(['ContainersReady', 'Initialized', 'PodScheduled', 'Ready']);

    expect(await core.readNamespacedPodLog({ name: 'hello', namespace })).toBe('hello\nworld\n');
    expect(await core.readNamespacedPodLog({ name: 'hello', namespace, container: 'main', tailLines: 1 })).toBe('world\n');
    expect((await kubectl(['logs', `--namespace=${namespace}`, 'hello'])).stdout).toBe('hello\nworld\n');
    expect((await kubectl(['logs', '-f', `--namespace=${namespace}`, 'hello'])).stdout).toBe('hello\nworld\n');
  }, 90_000);

  it('runs argoproj/argosay by its entrypoint', async () => {
    await createPod('say', { containers: [{ name: 'main', image: 'argoproj/argosay:v2', args: ['echo', 'hello argosay'] }] });
    expect((await podEnded('say')).status?.phase).toBe('Succeeded');
    expect(await core.readNamespacedPodLog({ name: 'say', namespace })).toBe('hello argosay\n');
  });

  it("streams a running container's log to kubectl logs -f until it ends", async () => {
    await createPod('follow', { containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', 'echo first; sleep 3; echo second'] }] });
    await until('the container to run', async () => {
      const pod = await core.readNamespacedPod({ name: 'follow', namespace });
      return pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
    }, 60_000);
    const follower = spawn(kubeBinary('kubectl'), [`--kubeconfig=${plane.kubeconfigPath}`, 'logs', '-f', `--namespace=${namespace}`, 'follow'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    follower.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    await until('kubectl to show the first line', async () => seen.startsWith('first\n'), 30_000);
    expect(await exited).toBe(0);
    expect(seen).toBe('first\nsecond\n');
    expect((await podEnded('follow')).status?.phase).toBe('Succeeded');
  });

  it('fails a pod whose container fails, with its exit code', async () => {
    await createPod('failing', { containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', 'echo bad >&2; exit 3'] }] });
    const pod = await podEnded('failing');
    expect(pod.status?.phase).toBe('Failed');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(await core.readNamespacedPodLog({ name: 'failing', namespace })).toBe('bad\n');
  });

  it('runs the init container first, sharing an emptyDir at /var/run/regatta with the main container', async () => {
    const volumeMounts = [{ name: 'regatta-run', mountPath: '/var/run/regatta' }];
    await createPod('init', {
      volumes: [{ name: 'regatta-run', emptyDir: {} }],
      initContainers: [{ name: 'regatta-init', image: 'alpine', command: ['sh', '-c', 'echo "$POD_NAME" > /var/run/regatta/from-init'],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], volumeMounts }],
      containers: [{ name: 'main', image: 'alpine', command: ['cat', '/var/run/regatta/from-init'], volumeMounts }],
    });
    const pod = await podEnded('init');
    expect(pod.status?.phase).toBe('Succeeded');
    expect(pod.status?.initContainerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const initEnd = new Date(pod.status!.initContainerStatuses![0]!.state!.terminated!.finishedAt!).getTime();
    const mainStart = new Date(pod.status!.containerStatuses![0]!.state!.terminated!.startedAt!).getTime();
    expect(mainStart).toBeGreaterThanOrEqual(initEnd);
    expect(await core.readNamespacedPodLog({ name: 'init', namespace, container: 'main' })).toBe('init\n');
  });

  it('stops a running pod that is deleted, then confirms its deletion', async () => {
    const marker = `regatta-kubelet-delete-${process.pid}`;
    await createPod('sleeper', { containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', `sleep 300; : ${marker}`] }] });
    await until('the container to run', async () => {
      const pod = await core.readNamespacedPod({ name: 'sleeper', namespace });
      return pod.status?.phase === 'Running';
    }, 60_000);
    expect(await processesWith(marker)).not.toHaveLength(0);
    await core.deleteNamespacedPod({ name: 'sleeper', namespace });
    await until('the pod to be gone', async () =>
      core.readNamespacedPod({ name: 'sleeper', namespace }).then(
        () => false,
        (error: unknown) => error instanceof ApiException && error.code === 404,
      ), 30_000);
    expect(await processesWith(marker)).toEqual([]);
  });

  it('marks pods Succeeded at once in doneAtOnce mode, running nothing', async () => {
    const done = await startLocalKubelet({ plane, nodeName: 'regatta-done-node', doneAtOnce: true });
    try {
      // Bound by name: the scheduler may not place the other tests' pods there.
      await core.createNamespacedPod({
        namespace,
        body: { metadata: { name: 'instant' }, spec: { nodeName: 'regatta-done-node', restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine', command: ['false'] }] } },
      });
      const pod = await podEnded('instant');
      expect(pod.status?.phase).toBe('Succeeded');
      expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    } finally {
      await done.stop();
    }
  });
});

/** The host's processes whose command line holds `marker`. */
async function processesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker) && Number(pid) !== process.pid) found.push(pid);
  }
  return found;
}

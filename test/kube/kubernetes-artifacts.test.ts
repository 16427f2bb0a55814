// Artifacts through `regatta worker --executor kubernetes`, end to end: the real control plane and
// scheduler, the local kubelet running Regatta's launcher from this checkout's build, and Argo's
// artifact-passing.yaml. The first pod's launcher copies its output artifact into the run folder and its
// wait container saves it to the local store (a hostPath, REGATTA_KUBE_ARTIFACTS_HOST_PATH); the second
// pod's regatta-init loads it from there, and its main container reads it at its path.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Role, type V1RoleBinding } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from '../support/cli.js';
import { startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { startLocalKubelet, type LocalKubelet } from '../support/local-kubelet.js';
import { removePrefix, uniquePrefix } from '../support/redis.js';
import { until } from '../support/until.js';

const EXAMPLE = '/work/shared/argo-examples/artifact-passing.yaml';
const namespace = 'regatta-kubeart';
const nodeName = 'kubeart-node';
const executorImage = 'regatta/regatta:test';
const prefix = uniquePrefix();
let plane: ControlPlane;
let kubelet: LocalKubelet;
let artifacts: string;

beforeAll(async () => {
  artifacts = await mkdtemp(join(tmpdir(), 'regatta-kubeart-store-'));
  plane = await startControlPlane({ nodes: [nodeName] });
  kubelet = await startLocalKubelet({ plane, nodeName, regattaImage: executorImage, hostPathAllow: [artifacts] });
  const config = new KubeConfig();
  config.loadFromFile(plane.kubeconfigPath);
  const core = config.makeApiClient(CoreV1Api);
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  // The wait container reports on its own pod as the namespace's default service account.
  for (const document of parseAllDocuments(await readFile(new URL('../../deploy/kubernetes/wait-role.yaml', import.meta.url), 'utf8'))) {
    const object = document.toJS() as V1Role | V1RoleBinding;
    if (object.kind === 'Role') await rbac.createNamespacedRole({ namespace, body: object as V1Role });
    else await rbac.createNamespacedRoleBinding({ namespace, body: object as V1RoleBinding });
  }
  await until('the default service account', async () => ((await core.readNamespacedServiceAccount({ name: 'default', namespace }).catch(() => undefined))?.secrets?.length ?? 0) > 0, 60_000);
}, 180_000);

afterAll(async () => {
  await kubelet?.stop();
  await plane?.stop();
  await rm(artifacts, { recursive: true, force: true });
  await removePrefix(prefix);
});

interface NodeView {
  displayName: string;
  phase: string;
  message?: string;
  outputs?: { result?: string; artifacts?: { name: string; path?: string; key?: string }[] };
}

/** Runs artifact-passing.yaml through a scheduler and a `regatta worker --executor kubernetes` with `env`: the workflow's status, and the worker's output. */
async function runExample(env: Record<string, string>): Promise<{ phase: string; node: (name: string) => NodeView; workerOutput: string }> {
  const worker = startService(['worker', '--executor', 'kubernetes', '--kubeconfig', plane.kubeconfigPath, '--namespace', namespace, '--executor-image', executorImage], prefix, env);
  const scheduler = startService(['scheduler'], prefix);
  try {
    const submitted = await regatta(['submit', EXAMPLE, '--watch', '-o', 'json'], prefix);
    const status = (JSON.parse(submitted.stdout) as { status: { phase: string; nodes: Record<string, NodeView> } }).status;
    return { phase: status.phase, node: (name) => Object.values(status.nodes).find((candidate) => candidate.displayName === name)!, workerOutput: worker.output() };
  } finally {
    await Promise.all([stopService(scheduler.child), stopService(worker.child)]);
  }
}

describe('artifacts in Kubernetes pods', () => {
  it("passes artifact-passing.yaml's artifact from one pod to the next through the local store", async () => {
    const { phase, node, workerOutput } = await runExample({ REGATTA_KUBE_ARTIFACTS_HOST_PATH: artifacts, REGATTA_ARTIFACTS_DIR: artifacts });
    expect({ phase, produce: node('generate-artifact').phase, consume: node('consume-artifact').phase }, workerOutput).toEqual({ phase: 'Succeeded', produce: 'Succeeded', consume: 'Succeeded' });
    // Recorded as local mode records it: where the artifact went, under the workflow's namespace (not the pods').
    const [saved] = node('generate-artifact').outputs?.artifacts ?? [];
    expect(saved).toMatchObject({ name: 'hello-art', path: '/tmp/hello_world.txt', key: expect.stringMatching(/^default\/[^/]+\/artifact-passing-[^/]+\/hello-art\.tgz$/) });
    expect((await stat(join(artifacts, saved!.key!))).isFile()).toBe(true);
    expect(node('consume-artifact').outputs?.result).toBe('hello world');
  }, 120_000);

  it('fails the producing node, naming the artifact, where the worker gives pods no store', async () => {
    const { phase, node } = await runExample({});
    expect(phase).toBe('Failed');
    expect(node('generate-artifact')).toMatchObject({ phase: 'Error', message: 'failed to save outputs: artifact "hello-art": this pod has no local artifact repository (the worker gives pods none: configure an artifact repository such as S3)' });
  }, 120_000);
});

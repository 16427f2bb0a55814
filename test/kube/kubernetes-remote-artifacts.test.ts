// Artifacts in a remote store through `regatta worker --executor kubernetes`, end to end, as a cluster of
// several nodes runs them: the real control plane and scheduler, the local kubelet running Regatta's
// launcher from this checkout's build, Argo's artifact-passing.yaml with the installation's default
// repository on S3 (s3rver, REGATTA_ARTIFACT_REPOSITORY, archiveLogs on) and its credentials in a Secret
// created in the cluster. No hostPath store: Kubernetes mounts the Secret's keys into regatta-init and
// wait, which move the artifact and the main containers' logs through S3.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Pod, type V1Role, type V1RoleBinding } from '@kubernetes/client-node';
import { ArtifactStore } from '@regatta/artifacts';
import type { Artifact } from '@regatta/spec';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from '../support/cli.js';
import { startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { startLocalKubelet, type LocalKubelet } from '../support/local-kubelet.js';
import { removePrefix, uniquePrefix } from '../support/redis.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { until } from '../support/until.js';

const EXAMPLE = '/work/shared/argo-examples/artifact-passing.yaml';
const namespace = 'regatta-kuberemote';
const nodeName = 'kuberemote-node';
const executorImage = 'regatta/regatta:test';
const prefix = uniquePrefix();
let plane: ControlPlane;
let kubelet: LocalKubelet;
let s3: S3Server;
let core: CoreV1Api;
let scratch: string;

beforeAll(async () => {
  s3 = await startS3Server();
  scratch = await mkdtemp(join(tmpdir(), 'regatta-kuberemote-'));
  plane = await startControlPlane({ nodes: [nodeName] });
  kubelet = await startLocalKubelet({ plane, nodeName, regattaImage: executorImage });
  const config = new KubeConfig();
  config.loadFromFile(plane.kubeconfigPath);
  core = config.makeApiClient(CoreV1Api);
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  for (const document of parseAllDocuments(await readFile(new URL('../../deploy/kubernetes/wait-role.yaml', import.meta.url), 'utf8'))) {
    const object = document.toJS() as V1Role | V1RoleBinding;
    if (object.kind === 'Role') await rbac.createNamespacedRole({ namespace, body: object as V1Role });
    else await rbac.createNamespacedRoleBinding({ namespace, body: object as V1RoleBinding });
  }
  // As `kubectl create secret generic team-s3 --from-literal=…`, in the namespace the pods run in.
  await core.createNamespacedSecret({
    namespace,
    body: { metadata: { name: 'team-s3' }, stringData: { accessKey: s3.accessKeyId, secretKey: s3.secretAccessKey, unused: 'not for pods' } },
  });
  await core.createNamespacedSecret({ namespace, body: { metadata: { name: 'stale-s3' }, stringData: { accessKey: 'ROTATEDAWAY', secretKey: 'rotated-away' } } });
  await until('the default service account', async () => ((await core.readNamespacedServiceAccount({ name: 'default', namespace }).catch(() => undefined))?.secrets?.length ?? 0) > 0, 60_000);
}, 180_000);

afterAll(async () => {
  await kubelet?.stop();
  await plane?.stop();
  await s3?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  await removePrefix(prefix);
});

/** The installation's default repository (Argo's workflow-controller-configmap `artifactRepository`), on s3rver. */
function repository(secret: string): string {
  return JSON.stringify({
    archiveLogs: true,
    s3: {
      endpoint: s3.hostPort,
      insecure: true,
      bucket: 'regatta',
      createBucketIfNotPresent: {},
      accessKeySecret: { name: secret, key: 'accessKey' },
      secretKeySecret: { name: secret, key: 'secretKey' },
    },
  });
}

interface NodeView {
  displayName: string;
  phase: string;
  message?: string;
  outputs?: { result?: string; artifacts?: Artifact[] };
}

async function runExample(secret: string): Promise<{ phase: string; node: (name: string) => NodeView; workerOutput: string }> {
  const worker = startService(['worker', '--executor', 'kubernetes', '--kubeconfig', plane.kubeconfigPath, '--namespace', namespace, '--executor-image', executorImage], prefix);
  const scheduler = startService(['scheduler'], prefix);
  try {
    const submitted = await regatta(['submit', EXAMPLE, '--watch', '-o', 'json'], prefix, { REGATTA_ARTIFACT_REPOSITORY: repository(secret) });
    const status = (JSON.parse(submitted.stdout) as { status: { phase: string; nodes: Record<string, NodeView> } }).status;
    return { phase: status.phase, node: (name) => Object.values(status.nodes).find((candidate) => candidate.displayName === name)!, workerOutput: worker.output() };
  } finally {
    await Promise.all([stopService(scheduler.child), stopService(worker.child)]);
  }
}

describe('remote artifact stores in Kubernetes pods', () => {
  it("passes artifact-passing.yaml's artifact through S3 with the credentials Secret mounted into regatta-init and wait, and archives main.log there", async () => {
    const { phase, node, workerOutput } = await runExample('team-s3');
    expect({ phase, produce: node('generate-artifact').phase, consume: node('consume-artifact').phase }, workerOutput).toEqual({ phase: 'Succeeded', produce: 'Succeeded', consume: 'Succeeded' });
    expect(node('consume-artifact').outputs?.result).toBe('hello world');
    const artifacts = node('generate-artifact').outputs?.artifacts ?? [];
    expect(artifacts.map(({ name }) => name)).toEqual(['hello-art', 'main-logs']);
    expect(artifacts[0]).toMatchObject({ s3: { bucket: 'regatta', key: expect.stringMatching(/hello-art\.tgz$/) } });

    // The archived log, read back from S3 as any client would.
    const stores = new ArtifactStore({ secrets: { secretValue: async (_namespace, { key }) => (key === 'accessKey' ? s3.accessKeyId : s3.secretAccessKey) } });
    await stores.load(artifacts[1]!, join(scratch, 'main.log'), namespace);
    expect(await readFile(join(scratch, 'main.log'), 'utf8')).toBe('hello world\n');

    // Each pod: the Secret's two keys (not `unused`) mounted into regatta-init or wait only, and no hostPath.
    const pods = (await core.listNamespacedPod({ namespace })).items;
    expect(pods).toHaveLength(2);
    for (const pod of pods as V1Pod[]) {
      expect(pod.spec!.volumes!.filter((volume) => volume.hostPath)).toEqual([]);
      const secrets = pod.spec!.volumes!.filter((volume) => volume.name.startsWith('regatta-secret-')).map(({ secret }) => ({ ...secret, items: secret?.items?.map(({ key, path }) => ({ key, path })) }));
      expect(secrets).toEqual([{ secretName: 'team-s3', items: [{ key: 'accessKey', path: 'accessKey' }, { key: 'secretKey', path: 'secretKey' }], defaultMode: 420 }]);
      const mounting = [...(pod.spec!.initContainers ?? []), ...pod.spec!.containers].filter((container) => container.volumeMounts?.some(({ name }) => name.startsWith('regatta-secret-')));
      expect(mounting.map(({ name }) => name)).toEqual(expect.arrayContaining(['wait']));
      expect(mounting.every(({ name }) => name === 'regatta-init' || name === 'wait')).toBe(true);
    }
  }, 180_000);

  // (A Secret or key that is missing altogether leaves the pod Pending, as Kubernetes leaves a pod whose volume cannot be mounted.)
  it('fails the producing node naming the artifact and the store where the Secret holds a wrong credential', async () => {
    const { phase, node } = await runExample('stale-s3');
    expect(phase).toBe('Failed');
    const produce = node('generate-artifact');
    expect(produce.phase).toBe('Error');
    expect(produce.message).toMatch(/^failed to save outputs: artifact "hello-art": .*s3/);
    expect(produce.message).not.toContain('rotated-away');
  }, 180_000);
});

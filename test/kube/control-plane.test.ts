// The real control plane the Kubernetes suite runs against (test/support/kube-control-plane.ts): it
// starts on loopback with TLS, token auth and RBAC, its controller-manager and scheduler work, and both
// clients the project uses (kubectl 1.20 from Debian, @kubernetes/client-node 1.x) can create, read,
// patch, watch and be refused. Needs the cache built by scripts/kube/build-control-plane.sh.
import { execFile, spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ApiException,
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeBinary, startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { until } from '../support/until.js';

const run = promisify(execFile);
const namespace = 'regatta-smoke';
let plane: ControlPlane;
let admin: KubeConfig;

function kubectl(args: string[], kubeconfigPath = plane.kubeconfigPath, input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(kubeBinary('kubectl'), [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${join(plane.dir, 'kubectl-cache')}`, ...args], {
    env: { PATH: process.env.PATH ?? '' },
  });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

function client(kubeconfigPath: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfigPath);
  return config;
}

/** A client for the control plane with another token, and without trusting its CA unless `trustCa`. */
function clientWith(token: string, trustCa: boolean): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'c', server: plane.server, caData: trustCa ? Buffer.from(plane.ca).toString('base64') : undefined }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return config;
}

/** The Status object of a refused request (client-node gives its body as a string). */
function status(error: unknown): { code: number; reason: string; message: string } {
  if (!(error instanceof ApiException)) throw error;
  const body = JSON.parse(String(error.body)) as { code: number; reason: string; message: string };
  expect(body.code).toBe(error.code);
  return body;
}

async function refusal(call: Promise<unknown>): Promise<{ code: number; reason: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return status(error);
  }
  throw new Error('the request was not refused');
}

beforeAll(async () => {
  plane = await startControlPlane();
  admin = client(plane.kubeconfigPath);
  await kubectl(['create', 'namespace', namespace]);
}, 180_000);

afterAll(async () => {
  await plane?.stop();
});

describe('the test control plane', () => {
  it('serves Kubernetes 1.20.2 over TLS to kubectl, with the admin token', async () => {
    expect(plane.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = await kubectl(['version', '-o', 'json']);
    expect((JSON.parse(stdout) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion).toBe('v1.20.2');
    const phase = await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.status.phase}']);
    expect(phase.stdout).toBe('Active');
  });

  it('refuses a client that does not trust its CA', async () => {
    const insecure = clientWith(plane.token, false);
    await expect(insecure.makeApiClient(CoreV1Api).listNamespace()).rejects.toThrow(/certificate/);
  });

  it('runs the controller-manager and the scheduler: a pod gets its service account and, with no node, stays Pending as Unschedulable', async () => {
    const core = admin.makeApiClient(CoreV1Api);
    // The service-account controller makes each namespace's `default`, and the token controller its token
    // secret; pod admission refuses pods until both exist (500 ServerTimeout, "retry after").
    await until('the default service account and its token', async () => {
      const account = await core.readNamespacedServiceAccount({ name: 'default', namespace }).catch(() => undefined);
      return (account?.secrets?.length ?? 0) > 0;
    }, 60_000);
    const pod: V1Pod = {
      metadata: { name: 'smoke', labels: { app: 'smoke' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
    };
    const created = await core.createNamespacedPod({ namespace, body: pod });
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.status?.phase).toBe('Pending');
    expect(created.spec?.serviceAccountName).toBe('default');
    expect(created.spec?.schedulerName).toBe('default-scheduler');

    const again = await refusal(core.createNamespacedPod({ namespace, body: pod }));
    expect(again).toMatchObject({ code: 409, reason: 'AlreadyExists' });

    const unschedulable = await until('the scheduler to mark the pod', async () => {
      const current = await core.readNamespacedPod({ name: 'smoke', namespace });
      return current.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
    }, 60_000);
    expect(unschedulable.status).toBe('False');
    expect(unschedulable.message).toBe('no nodes available to schedule pods');
  });

  it('answers ?pretty and YAML (the vendored reflect2 1.0.1 crashed these under Go 1.19)', async () => {
    await kubectl(['create', 'configmap', 'pretty', `--namespace=${namespace}`, '--from-literal=key=value']);
    const pretty = await kubectl(['get', '--raw', `/api/v1/namespaces/${namespace}/configmaps/pretty?pretty=true`]);
    expect(pretty.stdout).toContain('\n  "kind": "ConfigMap"');
    const yaml = await get(`/api/v1/namespaces/${namespace}/configmaps/pretty`, 'application/yaml');
    expect(yaml).toMatchObject({ status: 200 });
    expect(yaml.body).toMatch(/^kind: ConfigMap$/m);
    expect(yaml.body).toMatch(/^ {2}key: value$/m);
  });

  it('registers a CRD applied with kubectl and serves its objects through client-node discovery', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'smokes.regatta.test' },
      spec: {
        group: 'regatta.test',
        scope: 'Namespaced',
        names: { plural: 'smokes', singular: 'smoke', kind: 'Smoke' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    await kubectl(['apply', '-f', '-'], plane.kubeconfigPath, JSON.stringify(crd));
    const extensions = admin.makeApiClient(ApiextensionsV1Api);
    await until('the CRD to be established', async () => {
      const current = await extensions.readCustomResourceDefinition({ name: 'smokes.regatta.test' });
      return current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    }, 60_000);

    const objects = KubernetesObjectApi.makeApiClient(admin);
    const smoke = { apiVersion: 'regatta.test/v1', kind: 'Smoke', metadata: { name: 'one', namespace }, spec: { size: 1 } };
    await until('the new kind to be served', async () => objects.create(smoke).then(() => true, () => false), 60_000);
    const patched = await objects.patch(
      { ...smoke, spec: { size: 2 } },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(patched).toMatchObject({ spec: { size: 2 } });
    // Custom resources have no strategic merge patch: a real server says 415.
    const strategic = await refusal(
      objects.patch({ ...smoke, spec: { size: 3 } }, undefined, undefined, undefined, undefined, PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.code).toBe(415);
    const listed = await kubectl(['get', 'smokes', `--namespace=${namespace}`, '-o', 'jsonpath={.items[*].spec.size}']);
    expect(listed.stdout).toBe('2');
  });

  it('forbids a least-privilege user through RBAC until a role grants it', async () => {
    const limited = client(plane.limited.kubeconfigPath).makeApiClient(CoreV1Api);
    const forbidden = await refusal(limited.listNamespacedPod({ namespace }));
    expect(forbidden).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(forbidden.message).toContain(`User "${plane.limited.name}" cannot list resource "pods" in API group "" in the namespace "${namespace}"`);
    const canI = await kubectl(['auth', 'can-i', 'list', 'pods', `--namespace=${namespace}`], plane.limited.kubeconfigPath).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(canI).toMatchObject({ code: 1, stdout: 'no\n' });

    await kubectl(['create', 'role', 'pod-reader', `--namespace=${namespace}`, '--verb=get,list', '--resource=pods']);
    await kubectl(['create', 'rolebinding', 'pod-reader', `--namespace=${namespace}`, '--role=pod-reader', `--user=${plane.limited.name}`]);
    // The authorizer learns of the binding through its informer: soon, not at once.
    const pods = await until('the role binding to take effect', async () => limited.listNamespacedPod({ namespace }).catch(() => undefined));
    expect(pods.items.map((p) => p.metadata?.name)).toContain('smoke');
    const elsewhere = await refusal(limited.listNamespacedPod({ namespace: 'default' }));
    expect(elsewhere.code).toBe(403);
    // An unknown token is not authenticated at all (client-node gives no body for this code: read it raw).
    await expect(clientWith('not-a-token', true).makeApiClient(CoreV1Api).listNamespacedPod({ namespace })).rejects.toMatchObject({ code: 401 });
    const unknown = await get(`/api/v1/namespaces/${namespace}/pods`, 'application/json', 'not-a-token');
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.body)).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
  });

  it('streams watch events to client-node and to kubectl', async () => {
    const events: string[] = [];
    const watching = await new Watch(admin).watch(
      `/api/v1/namespaces/${namespace}/configmaps`,
      { labelSelector: 'watched=yes' },
      (type, object: { metadata: { name: string } }) => events.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    const kubectlWatch = spawn(
      kubeBinary('kubectl'),
      [`--kubeconfig=${plane.kubeconfigPath}`, `--cache-dir=${join(plane.dir, 'kubectl-cache')}`, 'get', 'configmaps',
        `--namespace=${namespace}`, '--selector=watched=yes', '--watch', '--output=name'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let kubectlSaw = '';
    kubectlWatch.stdout.on('data', (chunk: Buffer) => (kubectlSaw += chunk.toString()));
    try {
      const core = admin.makeApiClient(CoreV1Api);
      // Watches that start late would miss the ADDED: create until both have seen one.
      let n = 0;
      await until('both watches to see a created ConfigMap', async () => {
        n += 1;
        await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: `watched-${n}`, labels: { watched: 'yes' } } } });
        return events.some((e) => e.startsWith('ADDED ')) && kubectlSaw.includes('configmap/watched-');
      }, 60_000);
      const name = `watched-${n}`;
      await kubectl(['patch', 'configmap', name, `--namespace=${namespace}`, '--type=merge', '--patch={"data":{"k":"v"}}']);
      await core.deleteNamespacedConfigMap({ name, namespace });
      await until('client-node to see the update and the delete', async () =>
        events.includes(`MODIFIED ${name}`) && events.includes(`DELETED ${name}`), 60_000);
    } finally {
      watching.abort();
      kubectlWatch.kill();
    }
  });
});

/** A GET with an Accept header client-node does not send, with the admin token unless another is given. */
function get(path: string, accept: string, bearer = plane.token): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${plane.server}${path}`, { ca: plane.ca, headers: { authorization: `Bearer ${bearer}`, accept } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

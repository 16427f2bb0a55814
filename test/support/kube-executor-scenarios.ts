// The Kubernetes executor's behaviour, written once and run against the real control plane
// (test/kube/kubernetes-executor.test.ts) and the fake API server (test/kubernetes-executor-fake.test.ts).
// The test plays the kubelet (pod status: Running, Succeeded, Failed, with container statuses) and the
// `wait` container (the outputs annotation), since no kubelet runs here yet.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig, type CoreV1Api, type V1ContainerStatus, type V1Pod } from '@kubernetes/client-node';
import { ANNOTATION_OUTPUTS, KubeClient, KubernetesExecutor, MERGE_PATCH, type NodeRunResult, type RunContext } from '@regatta/executors';
import type { NodeJob } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeJobs } from '../../packages/executors/test-support/node-jobs.js';
import { until } from './until.js';

export interface ExecutorCluster {
  namespace: string;
  /** The node the scheduler binds pods to. */
  nodeName: string;
  /** An admin's client, to play the kubelet and look. */
  core: CoreV1Api;
  /** How an executor under test connects. */
  client(): KubeClient;
  /** The API server's address, its CA where it speaks TLS, and an admin token: for the faulty proxy. */
  server: string;
  ca?: string;
  token: string;
}

export const EXECUTOR_IMAGE = 'regatta/regatta:test';

export function jobOf(workflow: string, template = `    container: {image: alpine, command: [sh, -c, "echo hello"]}`): NodeJob {
  const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${workflow}}
spec:
  entrypoint: main
  templates:
  - name: main
${template}
`;
  return new NodeJobs(yaml, workflow).job(workflow);
}

export interface Run {
  result: Promise<NodeRunResult>;
  started: () => boolean;
  abort: (reason?: string) => void;
}

export function run(executor: KubernetesExecutor, job: NodeJob): Run {
  const controller = new AbortController();
  let started = false;
  const context: RunContext = { signal: controller.signal, onLog: () => {}, onStarted: () => (started = true) };
  return { result: executor.run(job, context), started: () => started, abort: (reason) => controller.abort(reason) };
}

const status = (name: string, state: V1ContainerStatus['state']): V1ContainerStatus => ({ name, image: 'x', imageID: '', ready: !!state?.running, restartCount: 0, state });
const running = (name: string) => status(name, { running: { startedAt: new Date() } });
const exited = (name: string, exitCode: number) => status(name, { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } });

export function kubernetesExecutorScenarios(cluster: () => ExecutorCluster): void {
  let executor: KubernetesExecutor;
  const executorFor = (client = cluster().client()) =>
    new KubernetesExecutor({ namespace: cluster().namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, warn: () => {} }, client);

  beforeAll(() => {
    executor = executorFor();
  });
  afterAll(() => executor?.close());

  /** Waits until the scheduler has bound the pod to the cluster's node. */
  const bound = (name: string): Promise<string> =>
    until(`pod ${name} bound`, async () => {
      const { core, namespace, nodeName } = cluster();
      const pod = await core.readNamespacedPod({ name, namespace }).catch(() => undefined);
      return pod?.spec?.nodeName === nodeName ? name : undefined;
    }, 60_000);

  /** What a kubelet writes: the pod's phase and its containers' states. */
  const kubelet = async (name: string, phase: string, containerStatuses: V1ContainerStatus[]) => {
    const { core, namespace } = cluster();
    await core.patchNamespacedPodStatus({ name, namespace, body: { status: { phase, containerStatuses } } }, MERGE_PATCH);
  };

  /** What the `wait` container writes on its pod before it exits. */
  const waitReports = async (name: string, outputs: object) => {
    const { core, namespace } = cluster();
    await core.patchNamespacedPod({ name, namespace, body: { metadata: { annotations: { [ANNOTATION_OUTPUTS]: JSON.stringify(outputs) } } } }, MERGE_PATCH);
  };

  const podsOf = async (workflow: string): Promise<V1Pod[]> => {
    const { core, namespace } = cluster();
    return (await core.listNamespacedPod({ namespace, labelSelector: `workflows.argoproj.io/workflow=${workflow}` })).items;
  };

  describe('KubernetesExecutor', () => {
    it('creates the pod, reports the node started once it runs, and ends it with the outputs the wait container reported', async () => {
      const job = jobOf('ok', `    container: {image: alpine, command: [sh, -c, "echo 42 > /tmp/answer; echo hello"]}
    outputs:
      parameters:
      - name: answer
        valueFrom: {path: /tmp/answer}`);
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      const [pod] = await podsOf('ok');
      expect(pod?.metadata?.namespace).toBe(cluster().namespace);
      expect(pod?.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'regatta', 'workflows.argoproj.io/workflow': 'ok' });
      await kubelet(name, 'Running', [running('wait'), running('main')]);
      await until('the node to be reported started', async () => node.started());
      await waitReports(name, { result: 'hello', exitCode: '0', parameters: [{ name: 'answer', value: '42' }] });
      await kubelet(name, 'Succeeded', [exited('wait', 0), exited('main', 0)]);
      expect(await node.result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'hello', exitCode: '0', parameters: [{ name: 'answer', value: '42' }] } });
      const [ended] = await podsOf('ok');
      expect(ended?.metadata?.labels?.['workflows.argoproj.io/completed']).toBe('true');
    });

    it("fails the node with the main container's exit code", async () => {
      const job = jobOf('fails');
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      await waitReports(name, { result: '', exitCode: '3' });
      await kubelet(name, 'Failed', [exited('wait', 0), exited('main', 3)]);
      expect(await node.result).toMatchObject({ phase: 'Failed', message: 'Error (exit code 3)', exitCode: 3, outputs: { exitCode: '3' } });
    });

    it('ends a succeeded pod without reported outputs in Error, and a reported error too', async () => {
      const silent = jobOf('silent');
      const node = run(executor, silent);
      await kubelet(await bound(silent.pod!.name), 'Succeeded', [exited('wait', 0), exited('main', 0)]);
      expect(await node.result).toMatchObject({ phase: 'Error', message: expect.stringContaining('the wait container reported no outputs') });

      const missing = jobOf('missing');
      const other = run(executor, missing);
      const name = await bound(missing.pod!.name);
      await waitReports(name, { exitCode: '0', error: 'failed to read output parameter "p" from /tmp/p: no such file or directory' });
      await kubelet(name, 'Succeeded', [exited('wait', 0), exited('main', 0)]);
      expect(await other.result).toMatchObject({ phase: 'Error', message: 'failed to read output parameter "p" from /tmp/p: no such file or directory' });
    });

    it("reports a containerSet's members: the failed one, and the one the wait container reported omitted", async () => {
      const job = jobOf('members', `    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "exit 1"]}
      - {name: b, image: alpine, command: [echo, b], dependencies: [a]}`);
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      await waitReports(name, { result: '', exitCode: '0', omitted: [{ name: 'b', dependency: 'a' }] });
      await kubelet(name, 'Failed', [exited('wait', 0), exited('a', 1), exited('b', 0)]);
      expect(await node.result).toMatchObject({
        phase: 'Failed',
        message: 'container "a": Error (exit code 1)',
        containers: [
          { name: 'a', phase: 'Failed', exitCode: 1 },
          { name: 'b', phase: 'Omitted', message: 'dependency "a" did not succeed' },
        ],
      });
    });

    it('adopts the pod of the same name (409) rather than make a second: two workers, one pod, one result', async () => {
      const job = jobOf('twice');
      const other = executorFor();
      try {
        const first = run(executor, job);
        const name = await bound(job.pod!.name);
        const second = run(other, job);
        await waitReports(name, { result: 'hello', exitCode: '0' });
        await kubelet(name, 'Succeeded', [exited('wait', 0), exited('main', 0)]);
        const results = await Promise.all([first.result, second.result]);
        expect(results.map((result) => [result.phase, result.outputs.result])).toEqual([
          ['Succeeded', 'hello'],
          ['Succeeded', 'hello'],
        ]);
        expect(await podsOf('twice')).toHaveLength(1);
        // A worker that comes back after the pod ended adopts it and reads its end at once.
        expect(await run(executorFor(), job).result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hello' } });
      } finally {
        other.close();
      }
    });

    it('ends the node in Error "pod deleted" when its pod is deleted under a running node', async () => {
      const job = jobOf('deleted');
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      await kubelet(name, 'Running', [running('wait'), running('main')]);
      await until('the node to be reported started', async () => node.started());
      await cluster().core.deleteNamespacedPod({ name, namespace: cluster().namespace, gracePeriodSeconds: 0 });
      expect(await node.result).toMatchObject({ phase: 'Error', message: 'pod deleted' });
    });

    it('does not wait forever for a wait container that never reports: Error naming how main ended, and the pod deleted', async () => {
      const impatient = new KubernetesExecutor({ namespace: cluster().namespace, executorImage: EXECUTOR_IMAGE, streamLogs: false, reportGraceSeconds: 1, warn: () => {} }, cluster().client());
      try {
        const job = jobOf('unreported');
        const node = run(impatient, job);
        const name = await bound(job.pod!.name);
        // The launcher could not start in the image: main ends at once, wait waits on.
        const startError = status('main', { terminated: { exitCode: 128, reason: 'StartError', message: 'exec: "/var/run/regatta/launcher": no such file or directory' } });
        await kubelet(name, 'Running', [running('wait'), startError]);
        expect(await node.result).toMatchObject({
          phase: 'Error',
          message: 'container "main" ended, StartError (exit code 128): exec: "/var/run/regatta/launcher": no such file or directory, but the wait container did not report within 1 s',
        });
        const pod = await cluster().core.readNamespacedPod({ name, namespace: cluster().namespace });
        expect(pod.metadata?.deletionTimestamp).toBeDefined();
      } finally {
        impatient.close();
      }
    });

    it('ends the node once main ended and the wait container reported, whatever a sidecar still does', async () => {
      const job = jobOf('lingering', `    container: {image: alpine, command: [sh, -c, "echo hi"]}
    sidecars:
    - {name: db, image: alpine, command: [sleep, "3600"]}`);
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      await waitReports(name, { result: 'hi', exitCode: '0' });
      await kubelet(name, 'Running', [exited('wait', 0), exited('main', 0), running('db')]);
      expect(await node.result).toMatchObject({ phase: 'Succeeded', exitCode: 0, outputs: { result: 'hi' } });
    });

    it('stops a node by deleting its pod with a grace period', async () => {
      const job = jobOf('stopped');
      const node = run(executor, job);
      const name = await bound(job.pod!.name);
      node.abort("Stopped with strategy 'Terminate'");
      expect(await node.result).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
      // No kubelet confirms the containers' end, so the pod waits out its grace period marked for deletion.
      const pod = await cluster().core.readNamespacedPod({ name, namespace: cluster().namespace });
      expect(pod.metadata?.deletionTimestamp).toBeDefined();
    });
  });

  describe('the shared pod informer', () => {
    it('lists again after its watch is cut and then expires (410), and sees what changed meanwhile', async () => {
      const proxy = await faultyProxy(cluster());
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'proxy', server: proxy.url, skipTLSVerify: true }],
        users: [{ name: 'admin', token: cluster().token }],
        contexts: [{ name: 'proxy', cluster: 'proxy', user: 'admin' }],
        currentContext: 'proxy',
      });
      const flaky = executorFor(new KubeClient({}, config));
      try {
        const job = jobOf('relist');
        const node = run(flaky, job);
        const name = await bound(job.pod!.name);
        expect(flaky.informer.counts.lists).toBe(1);
        // The connection drops and stays down while the pod ends; when it is back, the watch's version is gone.
        proxy.down = true;
        proxy.expireNextWatch = true;
        proxy.cut();
        await waitReports(name, { result: 'after the cut', exitCode: '0' });
        await kubelet(name, 'Succeeded', [exited('wait', 0), exited('main', 0)]);
        await new Promise((resolve) => setTimeout(resolve, 500));
        proxy.down = false;
        expect(await node.result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'after the cut' } });
        expect(flaky.informer.counts.lists).toBe(2);
        expect(proxy.expiredWatches).toBe(1);
      } finally {
        flaky.close();
        await proxy.close();
      }
    });
  });
}

interface FaultyProxy {
  url: string;
  /** While true, every request is refused at the socket. */
  down: boolean;
  /** The next watch is answered as an API server answers a too-old resourceVersion: an ERROR event with 410. */
  expireNextWatch: boolean;
  expiredWatches: number;
  cut(): void;
  close(): Promise<void>;
}

/** A plain-HTTP front for the API server that can drop connections and expire a watch: the faults an informer must survive. */
async function faultyProxy(target: ExecutorCluster): Promise<FaultyProxy> {
  const upstream = new URL(target.server);
  const forward = upstream.protocol === 'https:' ? httpsRequest : httpRequest;
  const sockets = new Set<Socket>();
  const proxy: FaultyProxy = {
    url: '',
    down: false,
    expireNextWatch: false,
    expiredWatches: 0,
    cut: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise((resolve) => (proxy.cut(), server.close(() => resolve()))),
  };
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (proxy.down) return void incoming.socket.destroy();
    if (proxy.expireNextWatch && incoming.url?.includes('watch=true')) {
      proxy.expireNextWatch = false;
      proxy.expiredWatches++;
      outgoing.writeHead(200, { 'content-type': 'application/json' });
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 };
      return void outgoing.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    }
    const request = forward(
      { host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: upstream.host }, ...(target.ca && { ca: target.ca }) },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    request.on('error', () => outgoing.destroy());
    incoming.pipe(request);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

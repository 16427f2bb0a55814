// The local kubelet's pod runtime and its containerLogs endpoint, without a control plane (the
// Kubernetes suite, test/kube/local-kubelet.test.ts, runs them through a real one): a pod's containers
// run as local processes in the local executor's sandbox, init containers first and sharing an
// emptyDir with the main one, env from the downward API and ConfigMaps; each state change becomes the
// status a kubelet writes; the logs are served over HTTPS to a client with a certificate of the CA.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Pod } from '@kubernetes/client-node';
import { chooseLauncher } from '@regatta/executors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificateAuthority, signCertificate } from './support/kube-control-plane.js';
import { ContainerLog } from './support/kubelet/container-logs.js';
import { startKubeletServer, type KubeletServer } from './support/kubelet/kubelet-server.js';
import { PodRun, type PodRunState, type PodRuntime } from './support/kubelet/pod-run.js';
import { podStatusPatch } from './support/kubelet/pod-status.js';
import { until } from './support/until.js';

const CHECKOUT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

let dir: string;
let runtime: PodRuntime;
const configMaps: Record<string, Record<string, Buffer>> = { settings: { greeting: Buffer.from('hello from a configmap') } };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'regatta-kubelet-test-'));
  const workDir = join(dir, 'pods');
  const hostEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const { launcher } = await chooseLauncher('auto', hostEnv.PATH, workDir, { hidden: [workDir] });
  runtime = {
    workDir,
    launcher,
    hostEnv,
    hostPathAllow: [],
    sources: { configMap: async (_namespace, name) => configMaps[name], secret: async () => undefined },
    podEnv: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '6443' },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let uid = 0;
function pod(spec: V1Pod['spec']): V1Pod {
  uid += 1;
  return { metadata: { name: `pod-${uid}`, namespace: 'ns', uid: `uid-${uid}`, labels: { app: 'x' } }, spec };
}

/** Runs the pod to its end; the states it went through and its logs by container. */
async function runPod(
  subject: V1Pod,
  whileRunning?: (run: PodRun) => Promise<void>,
  imagePrograms?: PodRuntime['imagePrograms'],
): Promise<{ states: PodRunState[]; logs: Record<string, string> }> {
  const states: PodRunState[] = [];
  const run = new PodRun(subject, { ...runtime, imagePrograms }, (state) => states.push(state));
  const done = run.run();
  await whileRunning?.(run);
  await done;
  await run.remove();
  const logs: Record<string, string> = {};
  for (const [name, log] of run.logs) logs[name] = await text(log, {});
  return { states, logs };
}

async function text(log: ContainerLog, query: Parameters<ContainerLog['read']>[0], follow = false): Promise<string> {
  let out = '';
  for await (const line of log.read(query, follow, new AbortController().signal)) out += line;
  return out;
}

describe('a pod on the local kubelet', () => {
  it('mounts a volume inside another (its mount point made in the outer one) and a subPath file onto a file, as the emissary mounts its inputs', async () => {
    const volumeMounts = [
      { name: 'run', mountPath: '/var/run/regatta' },
      { name: 'inputs', mountPath: '/var/run/regatta/inputs' },
    ];
    const { states, logs } = await runPod(
      pod({
        restartPolicy: 'Never',
        volumes: [{ name: 'run', emptyDir: {} }, { name: 'inputs', emptyDir: {} }],
        initContainers: [{ name: 'init', image: 'alpine', command: ['sh', '-c', 'echo placed > /var/run/regatta/inputs/file'], volumeMounts }],
        containers: [{ name: 'main', image: 'alpine', command: ['cat', '/in/file', '/tmp/file'], volumeMounts: [{ name: 'inputs', mountPath: '/in' }, { name: 'inputs', mountPath: '/tmp/file', subPath: 'file' }] }],
      }),
    );
    expect(logs.main).toBe('placed\nplaced\n');
    expect(states.at(-1)!.phase).toBe('Succeeded');
  });

  // A checkout under /tmp is hidden by the containers' private /tmp unless the kubelet binds it in.
  it("runs Regatta's image's launcher from this checkout's build (imagePrograms), wherever the checkout lies", async () => {
    const launcher = join(CHECKOUT, 'packages/executors/dist/kubernetes/launcher/main.js');
    const { states, logs } = await runPod(
      pod({
        restartPolicy: 'Never',
        volumes: [{ name: 'run', emptyDir: {} }],
        initContainers: [{ name: 'install', image: 'regatta/regatta:local', command: ['/usr/local/bin/regatta-launcher', 'install', '/var/run/regatta/launcher'], volumeMounts: [{ name: 'run', mountPath: '/var/run/regatta' }] }],
        containers: [{ name: 'main', image: 'alpine', command: ['/var/run/regatta/launcher', '--', 'echo', 'under the launcher'], env: [{ name: 'REGATTA_CONTAINER', value: 'main' }], volumeMounts: [{ name: 'run', mountPath: '/var/run/regatta' }] }],
      }),
      undefined,
      { 'regatta/regatta:local': { '/usr/local/bin/regatta-launcher': { argv: [process.execPath, launcher], files: CHECKOUT } } },
    );
    expect(logs.main).toBe('under the launcher\n');
    expect(states.at(-1)!.phase).toBe('Succeeded');
  });

  it('runs its init container first, sharing an emptyDir at /var/run/regatta with the main container, and ends Succeeded', async () => {
    const volumeMounts = [{ name: 'run', mountPath: '/var/run/regatta' }];
    const { states, logs } = await runPod(
      pod({
        restartPolicy: 'Never',
        volumes: [{ name: 'run', emptyDir: {} }],
        initContainers: [{ name: 'init', image: 'alpine', command: ['sh', '-c', 'echo from-init > /var/run/regatta/file'], volumeMounts }],
        containers: [
          {
            name: 'main',
            image: 'alpine',
            command: ['sh', '-c', 'cat /var/run/regatta/file; echo "$POD/$NS $IP $GREETING"'],
            env: [
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
            ],
            volumeMounts,
          },
        ],
      }),
    );
    expect(logs.main).toBe(`from-init\n${`pod-${uid}`}/ns 127.0.0.1 hello from a configmap\n`);
    const last = states.at(-1)!;
    expect(last.phase).toBe('Succeeded');
    expect(last.containers.map(({ name, init, state }) => [name, init, 'terminated' in state && state.terminated.exitCode])).toEqual([
      ['init', true, 0],
      ['main', false, 0],
    ]);
    // The main container waited for the init container: Pending while it ran, Running after.
    const initRunning = states.findIndex((state) => 'running' in state.containers[0]!.state);
    const mainRunning = states.findIndex((state) => 'running' in state.containers[1]!.state);
    expect(states[initRunning]!.phase).toBe('Pending');
    expect(mainRunning).toBeGreaterThan(initRunning);
    expect(states.slice(mainRunning).some((state) => state.phase === 'Running')).toBe(true);

    const { status } = podStatusPatch(last, 'uid-x');
    expect(status).toMatchObject({
      phase: 'Succeeded',
      podIP: '127.0.0.1',
      initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      containerStatuses: [{ name: 'main', ready: false, containerID: 'regatta://uid-x/main', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    expect(status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'False', reason: 'PodCompleted' }));
    expect(status.initContainerStatuses).toMatchObject([{ name: 'init', ready: true }]);
  });

  it('keeps a condition\'s lastTransitionTime while its status stays', () => {
    const state: PodRunState = { phase: 'Running', startTime: '2026-01-01T00:00:00Z', initialized: true, containers: [{ name: 'main', image: 'alpine', init: false, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    const earlier = [
      { type: 'Initialized', status: 'True' as const, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:01Z' },
      { type: 'Ready', status: 'False' as const, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:01Z', reason: 'ContainersNotReady' },
    ];
    const { conditions } = podStatusPatch(state, 'u', earlier).status;
    expect(conditions.find((c) => c.type === 'Initialized')!.lastTransitionTime).toBe('2026-01-01T00:00:01Z');
    expect(conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(conditions.find((c) => c.type === 'Ready')!.lastTransitionTime).not.toBe('2026-01-01T00:00:01Z');
  });

  it("runs a command an init container put in the shared volume (the emissary's launcher), with the apiserver's address in env", async () => {
    const volumeMounts = [{ name: 'regatta-run', mountPath: '/var/run/regatta' }];
    const install = `printf '#!/bin/sh\\necho "launched $* at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"\\n' > /var/run/regatta/launcher && chmod 755 /var/run/regatta/launcher`;
    const { states, logs } = await runPod(
      pod({
        volumes: [{ name: 'regatta-run', emptyDir: {} }],
        initContainers: [{ name: 'regatta-init', image: 'alpine', command: ['sh', '-c', install], volumeMounts }],
        containers: [{ name: 'main', image: 'alpine', command: ['/var/run/regatta/launcher', '--', 'echo', 'hi'], volumeMounts }],
      }),
    );
    expect(states.at(-1)!.phase).toBe('Succeeded');
    expect(logs.main).toBe('launched -- echo hi at 127.0.0.1:6443\n');
  });

  it('runs argoproj/argosay by its entrypoint and mounts a configMap volume', async () => {
    const { states, logs } = await runPod(
      pod({
        volumes: [{ name: 'config', configMap: { name: 'settings', items: [{ key: 'greeting', path: 'sub/greeting.txt' }] } }],
        containers: [
          { name: 'say', image: 'argoproj/argosay:v2', args: ['echo', 'hello argosay'] },
          { name: 'read', image: 'alpine', command: ['cat', '/etc/config/sub/greeting.txt'], volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] },
        ],
      }),
    );
    expect(states.at(-1)!.phase).toBe('Succeeded');
    expect(logs).toEqual({ say: 'hello argosay\n', read: 'hello from a configmap\n' });
  });

  it('fails with the exit code of a failing container, reason Error', async () => {
    const { states, logs } = await runPod(pod({ containers: [{ name: 'main', image: 'alpine', command: ['sh', '-c', 'echo oops >&2; exit 3'] }] }));
    const last = states.at(-1)!;
    expect(last.phase).toBe('Failed');
    expect(last.containers[0]!.state).toMatchObject({ terminated: { exitCode: 3, reason: 'Error' } });
    expect(logs.main).toBe('oops\n');
  });

  it('fails at a failing init container and never starts the main one', async () => {
    const { states, logs } = await runPod(
      pod({ initContainers: [{ name: 'init', image: 'alpine', command: ['false'] }], containers: [{ name: 'main', image: 'alpine', command: ['true'] }] }),
    );
    const last = states.at(-1)!;
    expect(last.phase).toBe('Failed');
    expect(last.initialized).toBe(false);
    expect(last.containers[1]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(logs.main).toBeUndefined();
  });

  it('leaves a container whose ConfigMap is missing waiting with CreateContainerConfigError, the pod Pending', async () => {
    const { states } = await runPod(
      pod({ containers: [{ name: 'main', image: 'alpine', command: ['true'], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }] }),
    );
    const last = states.at(-1)!;
    expect(last.phase).toBe('Pending');
    expect(last.containers[0]!.state).toEqual({ waiting: { reason: 'CreateContainerConfigError', message: 'container "main": ConfigMap ns/absent not found (wanted key k)' } });
  });

  it('fails a container that cannot run here as ContainerCannotRun', async () => {
    const { states } = await runPod(pod({ containers: [{ name: 'main', image: 'example.com/unknown:1' }] }));
    const last = states.at(-1)!;
    expect(last.phase).toBe('Failed');
    expect(last.containers[0]!.state).toMatchObject({ terminated: { exitCode: 128, reason: 'ContainerCannotRun' } });
    expect(last.message).toMatch(/^container "main": .*has no command/);
  });

  it('stops its running containers with SIGTERM and ends Failed', async () => {
    const { states } = await runPod(pod({ containers: [{ name: 'main', image: 'alpine', command: ['sleep', '60'] }] }), async (run) => {
      await until('the container to run', async () => run.logs.has('main'));
      run.stop(5_000, { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
    });
    const last = states.at(-1)!;
    expect(last).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(last.containers[0]!.state).toMatchObject({ terminated: { exitCode: 143, reason: 'Error' } });
  });
});

describe("the kubelet's containerLogs endpoint", () => {
  let server: KubeletServer;
  let client: { cert: string; key: string; ca: string };
  const log = new ContainerLog();

  beforeAll(async () => {
    const pki = join(dir, 'pki');
    await import('node:fs/promises').then(({ mkdir }) => mkdir(pki));
    await makeCertificateAuthority(pki);
    const ca = await readFile(join(pki, 'ca.crt'), 'utf8');
    const serving = await signCertificate(pki, 'kubelet', '/CN=system:node:n', { usage: 'serverAuth', altNames: ['IP:127.0.0.1'] });
    const apiserver = await signCertificate(pki, 'apiserver', '/O=system:masters/CN=kube-apiserver-kubelet-client', { usage: 'clientAuth' });
    client = { cert: await readFile(apiserver.cert, 'utf8'), key: await readFile(apiserver.key, 'utf8'), ca };
    server = await startKubeletServer({ cert: await readFile(serving.cert, 'utf8'), key: await readFile(serving.key, 'utf8'), ca }, (namespace, pod, container) =>
      namespace === 'ns' && pod === 'p' && container === 'main' ? log : { status: 404, message: `pod "${pod}" is not on this node` },
    );
    for (const line of ['one', 'two', 'three']) log.append('stdout', line);
  });

  afterAll(async () => {
    await server?.close();
  });

  const get = (path: string, tls: Partial<typeof client> = client, onData?: (chunk: string) => void) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, ...tls }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          onData?.(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the lines, the last tailLines of them, with timestamps where asked', async () => {
    expect(await get('/containerLogs/ns/p/main')).toEqual({ status: 200, body: 'one\ntwo\nthree\n' });
    expect((await get('/containerLogs/ns/p/main?tailLines=2')).body).toBe('two\nthree\n');
    expect((await get('/containerLogs/ns/p/main?tailLines=1&timestamps=true')).body).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
    expect((await get('/containerLogs/ns/p/main?limitBytes=6')).body).toBe('one\ntw');
    expect((await get('/containerLogs/ns/p/main?sinceSeconds=3600&tailLines=1')).body).toBe('three\n');
    expect(await get('/containerLogs/ns/p/main?tailLines=x')).toEqual({ status: 400, body: 'tailLines: "x" is not a non-negative integer\n' });
    expect(await get('/containerLogs/ns/other/main')).toEqual({ status: 404, body: 'pod "other" is not on this node\n' });
  });

  it('follows the log until the container ends', async () => {
    let seen = '';
    const following = get('/containerLogs/ns/p/main?follow=true&tailLines=1', client, (chunk) => (seen += chunk));
    await until('the past line', async () => seen === 'three\n');
    log.append('stderr', 'four');
    await until('the new line', async () => seen === 'three\nfour\n');
    log.end();
    expect(await following).toEqual({ status: 200, body: 'three\nfour\n' });
  });

  it('refuses a client without a certificate of the CA', async () => {
    await expect(get('/containerLogs/ns/p/main', { ca: client.ca })).rejects.toThrow();
  });
});

// A kubelet for the test control plane (kube-control-plane.ts), so that pods run without a cluster:
// it registers a Node as `system:node:<name>`, keeps its Lease, watches the pods bound to it
// (fieldSelector spec.nodeName) and runs each pod's containers as local processes in the local
// executor's sandbox (kubelet/pod-run.ts), writing their status through the API as a kubelet does.
// A pod being deleted has its containers stopped (SIGTERM, SIGKILL after its grace period), then the
// kubelet confirms the deletion (gracePeriodSeconds 0). It serves containerLogs over HTTPS with a
// certificate from the plane's CA, so `pods/log` (kubectl logs, -f) works through the apiserver.
// `doneAtOnce` (benchmarks) marks each pod Succeeded as soon as it is bound, running nothing.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  ListWatch,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { chooseLauncher, ContainerConfigError, ensurePrivateFolder, type ConfigSources } from '@regatta/executors';
import { argoTime } from '@regatta/spec';
import { signCertificate, type ControlPlane } from './kube-control-plane.js';
import { ContainerLog } from './kubelet/container-logs.js';
import { startKubeletServer, type KubeletServer } from './kubelet/kubelet-server.js';
import { keepLease, registerNode, unless, type NodeCapacity } from './kubelet/node-registration.js';
import { PodRun, type PodRunState, type PodRuntime } from './kubelet/pod-run.js';
import { podStatusPatch, type PodCondition } from './kubelet/pod-status.js';

export interface LocalKubeletOptions {
  plane: ControlPlane;
  /** One of the plane's `nodes` (its token was written at the plane's start). */
  nodeName: string;
  /** Default: 8 CPUs, 16Gi, 110 pods. */
  capacity?: Partial<NodeCapacity>;
  /** Mark each bound pod Succeeded at once, running nothing (for benchmarks of what surrounds pods). */
  doneAtOnce?: boolean;
  /** How often the Lease is renewed; 10 s, as a kubelet's default. */
  leaseRenewMs?: number;
  /** Folders hostPath volumes may lie under; none by default. */
  hostPathAllow?: string[];
  /**
   * Regatta's own image (`regatta worker --executor-image`): its `/usr/local/bin/regatta-launcher` is this
   * checkout's build, run with this Node, so the Kubernetes executor's pods run here. None by default.
   */
  regattaImage?: string;
  /** The sandbox: `auto` (the default) as the local executor's, `none` for a process group only. */
  isolation?: 'auto' | 'none';
  warn?(message: string): void;
}

export interface LocalKubelet {
  nodeName: string;
  /** The kubelet's HTTPS port on 127.0.0.1 (the Node's daemonEndpoints). */
  port: number;
  /** Stops watching, kills what still runs, removes the pods' folders; the Node stays registered. */
  stop(): Promise<void>;
}

interface PodEntry {
  pod: V1Pod;
  run?: PodRun;
  logs: Map<string, ContainerLog>;
  /** Settles once the pod's containers have all ended and its last status was written. */
  done: Promise<void>;
}

/** Where Regatta's image holds its launcher (docs/kubernetes-executor.md), and where this checkout builds it. */
const LAUNCHER_IN_IMAGE = '/usr/local/bin/regatta-launcher';
const LAUNCHER_BUILD = fileURLToPath(new URL('../../packages/executors/dist/kubernetes/launcher/main.js', import.meta.url));
/** The launcher's build reads the checkout's packages and node_modules. */
const CHECKOUT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const DEFAULT_CAPACITY: NodeCapacity = { cpu: '8', memory: '16Gi', pods: 110 };
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** How many times (every 500 ms) a ConfigMap or Secret the Node authorizer refuses is asked for again. */
const AUTHORIZER_TRIES = 20;
const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

export async function startLocalKubelet(options: LocalKubeletOptions): Promise<LocalKubelet> {
  const { plane, nodeName } = options;
  const identity = plane.nodes[nodeName];
  if (!identity) throw new Error(`local kubelet: node "${nodeName}" has no token: start the control plane with nodes: ["${nodeName}"]`);
  const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
  const config = new KubeConfig();
  config.loadFromFile(identity.kubeconfigPath);
  const core = config.makeApiClient(CoreV1Api);

  const workDir = join(plane.dir, `kubelet-${nodeName}`);
  await ensurePrivateFolder(workDir, 'the kubelet folder');
  const hostEnv = { PATH: process.env.PATH ?? DEFAULT_PATH };
  const choice = await chooseLauncher(options.isolation ?? 'auto', hostEnv.PATH, workDir, { hidden: [workDir] });
  if (choice.fallbackReason) warn(`local kubelet: pods get ${choice.launcher.description} only (${choice.fallbackReason})`);
  // In-cluster clients (the emissary's wait container) find the apiserver by these, as in a cluster; here
  // they name the apiserver itself, there being no Service proxy.
  const api = new URL(plane.server);
  const podEnv = {
    KUBERNETES_SERVICE_HOST: api.hostname,
    KUBERNETES_SERVICE_PORT: api.port,
    KUBERNETES_SERVICE_PORT_HTTPS: api.port,
    KUBERNETES_PORT: `tcp://${api.hostname}:${api.port}`,
  };
  const imagePrograms = options.regattaImage ? { [options.regattaImage]: { [LAUNCHER_IN_IMAGE]: { argv: [process.execPath, LAUNCHER_BUILD], files: CHECKOUT } } } : {};
  const runtime: PodRuntime = { workDir, launcher: choice.launcher, hostEnv, hostPathAllow: options.hostPathAllow ?? [], sources: apiSources(core), podEnv, imagePrograms };

  const pods = new Map<string, PodEntry>();
  const tls = await signCertificate(plane.dir, `kubelet-${nodeName}`, `/O=system:nodes/CN=system:node:${nodeName}`, {
    usage: 'serverAuth',
    altNames: ['IP:127.0.0.1', `DNS:${nodeName}`],
  });
  const server: KubeletServer = await startKubeletServer(
    { cert: await readFile(tls.cert, 'utf8'), key: await readFile(tls.key, 'utf8'), ca: plane.ca },
    (namespace, name, container) => {
      // The newest pod of that name: an older one may still be going.
      const entry = [...pods.values()].findLast(({ pod }) => pod.metadata?.namespace === namespace && pod.metadata?.name === name);
      if (!entry) return { status: 404, message: `pod "${name}" in namespace "${namespace}" is not on node "${nodeName}"` };
      const log = entry.logs.get(container);
      if (!log) return { status: 400, message: `container "${container}" in pod "${name}" is waiting to start` };
      return log;
    },
  );
  await registerNode(config, nodeName, server.port, { ...DEFAULT_CAPACITY, ...options.capacity });
  const lease = keepLease(config, nodeName, options.leaseRenewMs ?? 10_000, warn);

  /** Writes a pod's status, the latest first where changes come faster than writes. */
  const statusWriter = (pod: V1Pod) => {
    let latest: PodRunState | undefined;
    let conditions: PodCondition[] = [];
    let writing = Promise.resolve();
    const write = async () => {
      const state = latest;
      if (!state) return;
      latest = undefined;
      const { name = '', namespace = 'default', uid = '' } = pod.metadata ?? {};
      const body = podStatusPatch(state, uid, conditions);
      conditions = body.status.conditions;
      await core.patchNamespacedPodStatus({ name, namespace, body }, strategicMerge).catch((error: unknown) => {
        // A pod deleted meanwhile has no status to write.
        if (!(error instanceof ApiException && error.code === 404)) warn(`local kubelet: status of pod ${namespace}/${name}: ${String(error)}`);
      });
    };
    return {
      set(state: PodRunState) {
        latest = state;
        writing = writing.then(write);
      },
      flushed: () => writing,
    };
  };

  const start = (pod: V1Pod): PodEntry => {
    const writer = statusWriter(pod);
    if (options.doneAtOnce) {
      const state = doneState(pod);
      writer.set(state);
      const logs = new Map(state.containers.map(({ name }) => [name, endedLog()]));
      return { pod, logs, done: writer.flushed() };
    }
    const run = new PodRun(pod, runtime, (state) => writer.set(state));
    const deadline = pod.spec?.activeDeadlineSeconds;
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(() => run.stop(graceMs(pod), { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }), deadline * 1000);
    const done = run
      .run()
      .catch((error: unknown) => warn(`local kubelet: pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${String(error)}`))
      .then(() => clearTimeout(timer))
      .then(writer.flushed);
    return { pod, run, logs: run.logs, done };
  };

  /** As a kubelet ends a pod being deleted: its containers stopped within its grace, then the deletion confirmed. */
  const terminate = async (pod: V1Pod, entry: PodEntry | undefined): Promise<void> => {
    if (entry) {
      entry.run?.stop(graceMs(pod));
      await entry.done;
    }
    const { name = '', namespace = 'default', uid } = pod.metadata ?? {};
    // Both in the body: an apiserver that gets a DeleteOptions body ignores the query's gracePeriodSeconds,
    // and the deletion would stay graceful (the pod never gone).
    await core.deleteNamespacedPod({ name, namespace, body: { gracePeriodSeconds: 0, preconditions: { uid } } }).catch(unless(404));
  };

  /** Deletions under way, by pod UID: each pod's is confirmed once. */
  const deleting = new Map<string, Promise<void>>();
  const onPod = (pod: V1Pod): void => {
    const uid = pod.metadata?.uid ?? '';
    let entry = pods.get(uid);
    if (!entry) {
      // A pod that ended before this kubelet saw it (its restart) is not run again.
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      if (!pod.metadata?.deletionTimestamp) {
        entry = start(pod);
        pods.set(uid, entry);
      }
    }
    if (pod.metadata?.deletionTimestamp && !deleting.has(uid)) {
      const what = `pod ${pod.metadata.namespace}/${pod.metadata.name}`;
      deleting.set(uid, terminate(pod, entry).catch((error: unknown) => warn(`local kubelet: deleting ${what}: ${String(error)}`)));
    }
  };

  const onDeleted = (pod: V1Pod): void => {
    const uid = pod.metadata?.uid ?? '';
    const entry = pods.get(uid);
    if (!entry) {
      deleting.delete(uid);
      return;
    }
    // Deleted at once (a finished pod, or gracePeriodSeconds 0): whatever still runs is killed.
    entry.run?.stop(0);
    void entry.done
      .then(() => entry.run?.remove())
      .catch((error: unknown) => warn(`local kubelet: removing the folder of pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${String(error)}`))
      .finally(() => {
        pods.delete(uid);
        deleting.delete(uid);
      });
  };

  const fieldSelector = `spec.nodeName=${nodeName}`;
  const informer = new ListWatch<V1Pod>(
    '/api/v1/pods',
    new Watch(config),
    () => core.listPodForAllNamespaces({ fieldSelector }),
    false,
    undefined,
    fieldSelector,
  );
  let stopped = false;
  informer.on('add', onPod);
  informer.on('update', onPod);
  informer.on('delete', onDeleted);
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    warn(`local kubelet: watching pods: ${String(error)}; watching again`);
    setTimeout(() => void informer.start().catch(() => undefined), 1_000);
  });
  await informer.start();

  return {
    nodeName,
    port: server.port,
    stop: async () => {
      stopped = true;
      await informer.stop();
      await lease.stop();
      for (const entry of pods.values()) entry.run?.stop(0);
      await Promise.all([...pods.values()].map((entry) => entry.done));
      await Promise.all(deleting.values());
      await server.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/** How long a pod's containers have between SIGTERM and SIGKILL: what the deletion gave, else the pod's own. */
function graceMs(pod: V1Pod): number {
  return (pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000;
}

/** `doneAtOnce`: every container terminated with exit code 0, at once. */
function doneState(pod: V1Pod): PodRunState {
  const now = argoTime();
  const terminated = { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now } };
  const status = (init: boolean) => (container: { name: string; image?: string }) => ({ name: container.name, image: container.image ?? '', init, state: terminated });
  return {
    phase: 'Succeeded',
    startTime: now,
    initialized: true,
    containers: [...(pod.spec?.initContainers ?? []).map(status(true)), ...(pod.spec?.containers ?? []).map(status(false))],
  };
}

function endedLog(): ContainerLog {
  const log = new ContainerLog();
  log.end();
  return log;
}

/** ConfigMaps and Secrets read through the API as the node (the Node authorizer lets it read those its pods name). */
function apiSources(core: CoreV1Api): ConfigSources {
  const read = async <T>(get: () => Promise<T>): Promise<T | undefined> => {
    for (let tries = 1; ; tries++) {
      try {
        return await get();
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        // The Node authorizer learns that a pod names the object through its informer: soon after the
        // pod is bound, not at once. Refused for longer, the container cannot be configured.
        if (!(error instanceof ApiException && error.code === 403)) throw error;
        if (tries === AUTHORIZER_TRIES) throw new ContainerConfigError(`the node may not read it: ${String(error.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  return {
    configMap: async (namespace, name) => {
      const map = await read(() => core.readNamespacedConfigMap({ name, namespace }));
      if (!map) return undefined;
      const data = Object.entries(map.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'utf8')] as const);
      const binary = Object.entries(map.binaryData ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')] as const);
      return Object.fromEntries([...data, ...binary]);
    },
    secret: async (namespace, name) => {
      const secret = await read(() => core.readNamespacedSecret({ name, namespace }));
      if (!secret) return undefined;
      return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]));
    },
  };
}

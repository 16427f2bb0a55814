// The kubelet's Node: registered through the API as `system:node:<name>` (the Node authorizer and
// NodeRestriction admit it), Ready with the capacity the scheduler fits pods into, reachable at
// 127.0.0.1 on the kubelet's port (where the apiserver proxies pods/log); and its Lease in
// kube-node-lease, renewed so that the node lifecycle controller keeps it Ready and untainted.
import { arch, release } from 'node:os';
import { ApiException, CoordinationV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { POD_IP } from './pod-inputs.js';

export interface NodeCapacity {
  cpu: string;
  memory: string;
  pods: number;
}

/** Go's names for Node's architectures, as the kubernetes.io/arch label has them. */
const GO_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };
const VERSION = 'v1.20.2';
const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;

const strategicMerge = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

/** Creates the Node (or takes the one there) and writes its status. */
export async function registerNode(config: KubeConfig, name: string, port: number, capacity: NodeCapacity): Promise<void> {
  const core = config.makeApiClient(CoreV1Api);
  const goArch = GO_ARCH[arch()] ?? arch();
  const labels = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': goArch };
  await core.createNode({ body: { metadata: { name, labels } } }).catch(unless(409));
  const resources = { cpu: capacity.cpu, memory: capacity.memory, pods: String(capacity.pods), 'ephemeral-storage': '100Gi' };
  const now = new Date().toISOString();
  const condition = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  const status = {
    capacity: resources,
    allocatable: resources,
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'the Regatta local kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: POD_IP },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: port } },
    nodeInfo: {
      machineID: '',
      systemUUID: '',
      bootID: '',
      kernelVersion: release(),
      osImage: 'Regatta local kubelet',
      containerRuntimeVersion: 'regatta://local',
      kubeletVersion: VERSION,
      kubeProxyVersion: VERSION,
      operatingSystem: 'linux',
      architecture: goArch,
    },
  };
  await core.patchNodeStatus({ name, body: { status } }, strategicMerge);
}

/** Renews the node's Lease every `renewMs` until stopped; a failed renewal is told to `warn` and tried again next time. */
export function keepLease(config: KubeConfig, name: string, renewMs: number, warn: (message: string) => void): { stop(): Promise<void> } {
  const leases = config.makeApiClient(CoordinationV1Api);
  let created = false;
  const renew = async (): Promise<void> => {
    if (!created) {
      const body = { metadata: { name, namespace: LEASE_NAMESPACE }, spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS } };
      await leases.createNamespacedLease({ namespace: LEASE_NAMESPACE, body }).catch(unless(409));
      created = true;
    }
    await leases.patchNamespacedLease({ name, namespace: LEASE_NAMESPACE, body: { spec: { holderIdentity: name, renewTime: microTime(new Date()) } } }, strategicMerge);
  };
  let renewing = renew().catch((error: unknown) => warn(`local kubelet: lease ${name}: ${String(error)}`));
  const timer = setInterval(() => {
    renewing = renewing.then(() => renew()).catch((error: unknown) => warn(`local kubelet: lease ${name}: ${String(error)}`));
  }, renewMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await renewing;
    },
  };
}

/** A Lease's MicroTime: RFC 3339 with six fractional digits, which the apiserver requires. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A catch handler that lets an API error with `code` pass (an object already there), and throws any other. */
export function unless(code: number): (error: unknown) => void {
  return (error: unknown) => {
    if (!(error instanceof ApiException && error.code === code)) throw error;
  };
}

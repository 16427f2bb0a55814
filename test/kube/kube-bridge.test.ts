// The CRD bridge (apps/kube-bridge) against the real control plane with deploy/'s CRDs: `kubectl create -f
// wf.yaml` runs the workflow on Regatta (a scheduler and a noop worker here) and the object's status
// follows it to the end; a restarted bridge submits nothing twice; a refused spec ends the object in
// Error with the refusal; deleting the object deletes the workflow.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBridgeConfig, startBridgeService } from '@regatta/kube-bridge';
import type { Service } from '@regatta/service';
import { connectRedis, WorkflowStore } from '@regatta/store';
import { createLogger } from '@regatta/telemetry';
import { ROOT, startService, stopService } from '../support/cli.js';
import { kubeBinary, startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../support/redis.js';
import { until } from '../support/until.js';

const run = promisify(execFile);
const NAMESPACE = 'default';
let plane: ControlPlane;
const prefix = uniquePrefix();
const redis = connectRedis(REDIS_URL);
const store = new WorkflowStore(redis, prefix);
const services: ReturnType<typeof startService>[] = [];
let bridge: Service | undefined;

function kubectl(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(kubeBinary('kubectl'), [`--kubeconfig=${plane.kubeconfigPath}`, `--cache-dir=${join(plane.dir, 'kubectl-cache')}`, ...args], { env: { PATH: process.env.PATH ?? '' } });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

function startBridge(): Promise<Service> {
  const config = readBridgeConfig({ REDIS_URL, REGATTA_PREFIX: prefix, REGATTA_SHARDS: '4', REGATTA_KUBECONFIG: plane.kubeconfigPath, REGATTA_BRIDGE_NAMESPACE: NAMESPACE });
  return startBridgeService(config, createLogger('kube-bridge', { level: 'silent' }));
}

interface WorkflowObject {
  metadata: { name: string; uid: string };
  status?: { phase?: string; message?: string; nodes?: Record<string, { phase: string }> };
}

async function workflowObject(name: string): Promise<WorkflowObject> {
  return JSON.parse((await kubectl(['get', 'workflow', name, '-n', NAMESPACE, '-o', 'json'])).stdout) as WorkflowObject;
}

async function phaseOf(name: string, phase: string): Promise<WorkflowObject | false> {
  const object = await workflowObject(name);
  return object.status?.phase === phase && object;
}

const steps = (name: string, entrypoint = 'main') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: ${name}
spec:
  entrypoint: ${entrypoint}
  templates:
  - name: main
    steps:
    - - name: one
        template: echo
    - - name: two
        template: echo
  - name: echo
    container:
      image: alpine:3.20
      command: [echo, hello]
`;

beforeAll(async () => {
  plane = await startControlPlane({ controllers: false });
  await kubectl(['apply', '-f', join(ROOT, 'deploy', 'kubernetes', 'crds.yaml')]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
  services.push(startService(['scheduler'], prefix), startService(['worker', '--executor', 'noop'], prefix));
  bridge = await startBridge();
}, 180_000);

afterAll(async () => {
  await bridge?.close();
  for (const service of services) await stopService(service.child);
  await removePrefix(prefix);
  redis.disconnect();
  await plane?.stop();
});

describe('the Kubernetes bridge', () => {
  it("runs a Workflow object on Regatta under the object's uid and writes its status to the end", async () => {
    await kubectl(['create', '-n', NAMESPACE, '-f', '-'], steps('bridged'));
    const done = await until('the object to succeed', () => phaseOf('bridged', 'Succeeded'), 45_000);
    const stored = await store.load(done.metadata.uid);
    expect(stored?.workflow.metadata.name).toBe('bridged');
    expect(stored?.workflow.status.phase).toBe('Succeeded');
    const nodes = Object.values(done.status?.nodes ?? {});
    expect(nodes.filter((node) => node.phase === 'Succeeded').length).toBe(Object.keys(stored!.workflow.status.nodes).length);
    expect(nodes.length).toBeGreaterThanOrEqual(3);
  });

  it('submits nothing twice when the bridge restarts, and submits what was created while it was down', async () => {
    await bridge?.close();
    await kubectl(['create', '-n', NAMESPACE, '-f', '-'], steps('while-down'));
    bridge = await startBridge();
    const done = await until('the object made while the bridge was down to succeed', () => phaseOf('while-down', 'Succeeded'), 45_000);
    expect((await store.load(done.metadata.uid))?.workflow.metadata.name).toBe('while-down');
    const names = (await store.list(NAMESPACE)).map((summary) => summary.name).sort();
    expect(names).toEqual(['bridged', 'while-down']);
  });

  it('ends a refused spec in Error with the refusal, naming the place', async () => {
    await kubectl(['create', '-n', NAMESPACE, '-f', '-'], steps('refused', 'nowhere'));
    const refused = await until('the refused object to be in Error', () => phaseOf('refused', 'Error'), 30_000);
    expect(refused.status?.message).toContain('nowhere');
    expect(await store.load(refused.metadata.uid)).toBeUndefined();
  });

  it('deletes the workflow with its object', async () => {
    const { metadata } = await workflowObject('bridged');
    await kubectl(['delete', 'workflow', 'bridged', '-n', NAMESPACE]);
    await until('the workflow to be deleted from Regatta', async () => (await store.load(metadata.uid)) === undefined, 30_000);
  });
});

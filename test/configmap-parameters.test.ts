// Parameters from ConfigMaps through the CLI against separate scheduler and worker processes: a
// workflow argument's ConfigMap is read at submission, a template input's when its node starts (Argo's
// timing), so a ConfigMap applied while the workflow runs reaches the nodes that start later.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-configmap-parameters-'));

beforeAll(() => {
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  // The first step waits for the test's marker in a host folder, which the worker's operator allows.
  services.push(startService(['worker', '--concurrency', '2'], prefix, { LOG_LEVEL: 'warn', REGATTA_HOSTPATH_ALLOW: dir }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function cli(...args: string[]): Promise<string> {
  const result = await regatta(args, prefix);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

async function waitFor(name: string, ready: (workflow: Workflow, nodes: NodeStatus[]) => boolean, timeoutMs = 20_000): Promise<NodeStatus[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = JSON.parse(await cli('get', name, '-o', 'json')) as Workflow;
    const nodes = Object.values(workflow.status?.nodes ?? {});
    if (ready(workflow, nodes)) return nodes;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${name}: ${JSON.stringify(workflow.status, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const byName = (nodes: NodeStatus[], displayName: string) => nodes.find((n) => n.displayName === displayName);

const settings = (message: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {message: ${message}}
`;

describe('parameters from ConfigMaps', () => {
  it('a template input reads its ConfigMap when its node starts; a workflow argument at submission', async () => {
    expect(await cli('configmap', 'apply', '-f', file('before.yaml', settings('before')))).toBe('configmap/settings created\n');
    const workflow = file(
      'changed.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: configmap-changed}
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: submitted
      valueFrom: {configMapKeyRef: {name: settings, key: message}}
  volumes: [{name: host, hostPath: {path: ${dir}}}]
  templates:
  - name: main
    steps:
    - - {name: wait, template: wait}
    - - {name: show, template: show}
  - name: wait
    container:
      image: busybox
      command: [sh, -c, "until [ -e /host/go ]; do sleep 0.1; done"]
      volumeMounts: [{name: host, mountPath: /host}]
  - name: show
    inputs:
      parameters:
      - name: message
        valueFrom: {configMapKeyRef: {name: settings, key: message}}
    container: {image: busybox, command: [echo, "{{workflow.parameters.submitted}} {{inputs.parameters.message}}"]}
`,
    );
    const name = (await cli('submit', workflow)).trim();
    await waitFor(name, (_, nodes) => byName(nodes, 'wait')?.phase === 'Running');
    expect(await cli('configmap', 'apply', '-f', file('after.yaml', settings('after')))).toBe('configmap/settings configured\n');
    writeFileSync(join(dir, 'go'), '');
    const nodes = await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    expect(byName(nodes, 'show')?.inputs?.parameters).toEqual([{ name: 'message', value: 'after' }]);
    expect(byName(nodes, 'show')?.outputs?.result).toBe('before after');
  });

  it('a ConfigMap missing when the node starts ends it in Error naming the parameter, ConfigMap and key', async () => {
    const workflow = file(
      'missing.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: configmap-missing}
spec:
  entrypoint: show
  templates:
  - name: show
    inputs:
      parameters:
      - name: message
        valueFrom: {configMapKeyRef: {name: nowhere, key: message}}
      - name: other
        valueFrom: {configMapKeyRef: {name: settings, key: gone}}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`,
    );
    const name = (await cli('submit', workflow)).trim();
    const nodes = await waitFor(name, (wf) => wf.status?.phase === 'Error');
    expect(byName(nodes, name)).toMatchObject({ phase: 'Error', message: 'inputs.parameters.message: ConfigMap "nowhere" not found in namespace "default"' });
  });
});

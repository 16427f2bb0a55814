// `suspend`, `resume`, `stop`, `terminate`, `node set` and `resubmit` against a running system of
// separate processes, and deadlines that kill running processes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-controls-'));

beforeAll(() => {
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  // Nodes leave markers for the test in a host folder, which the workers' operator allows them.
  services.push(startService(['worker', '--concurrency', '4'], prefix, { LOG_LEVEL: 'warn', REGATTA_HOSTPATH_ALLOW: dir }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

async function submit(name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['submit', file], prefix);
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

async function get(name: string): Promise<Workflow> {
  const result = await regatta(['get', name, '-o', 'json'], prefix);
  return JSON.parse(result.stdout) as Workflow;
}

async function waitFor(name: string, ready: (workflow: Workflow, nodes: NodeStatus[]) => boolean, timeoutMs = 20_000): Promise<Workflow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const workflow = await get(name);
    if (ready(workflow, Object.values(workflow.status?.nodes ?? {}))) return workflow;
    if (Date.now() > deadline) throw new Error(`timed out waiting on ${name}: ${JSON.stringify(workflow.status, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const byName = (nodes: NodeStatus[], displayName: string) => nodes.find((n) => n.displayName === displayName);

const SLEEPER = (name: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
  onExit: bye
${extra}
  templates:
  - name: main
    steps:
    - - {name: nap, template: nap}
    - - {name: after, template: bye}
  - name: nap
    container: {image: busybox, command: [sleep, "30"]}
  - name: bye
    container: {image: busybox, command: [echo, bye]}
`;

/** The test's folder, mounted at /host by a node that names it in `volumeMounts`. */
const HOST_VOLUME = `  volumes: [{name: host, hostPath: {path: ${dir}}}]\n`;
const HOST_MOUNT = 'volumeMounts: [{name: host, mountPath: /host}]';

/** Two steps: `stamp` prints the time, `flaky` fails on its first run and succeeds on the next
 * (it leaves `marker`, a file of the test's folder, behind). */
const flakyOnce = (name: string, marker: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
${HOST_VOLUME}  templates:
  - name: main
    steps:
    - - {name: stamp, template: stamp}
    - - {name: flaky, template: flaky}
  - name: stamp
    container: {image: busybox, command: [sh, -c, "date +%s%N"]}
  - name: flaky
    container: {image: busybox, command: [sh, -c, "if [ -e /host/${marker} ]; then rm /host/${marker}; else touch /host/${marker}; exit 1; fi"], ${HOST_MOUNT}}
`;

describe('workflow controls', () => {
  it('stop kills the running process, fails the node and still runs the exit handler', async () => {
    const name = await submit('stop', SLEEPER('stop-me'));
    await waitFor(name, (_, nodes) => byName(nodes, 'nap')?.phase === 'Running');
    const started = Date.now();
    const stopped = await regatta(['stop', name], prefix);
    expect(stopped).toMatchObject({ code: 0, stdout: `workflow ${name} stopped\n` });
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    expect(Date.now() - started).toBeLessThan(15_000);
    const nodes = Object.values(workflow.status!.nodes!);
    expect(byName(nodes, 'nap')).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Stop'" });
    expect(byName(nodes, 'after')).toBeUndefined();
    expect(byName(nodes, `${name}.onExit`)).toMatchObject({ phase: 'Succeeded', outputs: { result: 'bye' } });
    expect(workflow.status?.message).toBe("Stopped with strategy 'Stop'");
    expect(workflow.spec.shutdown).toBe('Stop');
    const again = await regatta(['stop', name], prefix);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`workflow "${name}" has already ended (Failed)`);
  });

  it('terminate stops without the exit handler', async () => {
    const name = await submit('terminate', SLEEPER('terminate-me'));
    await waitFor(name, (_, nodes) => byName(nodes, 'nap')?.phase === 'Running');
    expect((await regatta(['terminate', name], prefix)).code).toBe(0);
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    expect(byName(Object.values(workflow.status!.nodes!), `${name}.onExit`)).toBeUndefined();
    expect(workflow.status?.message).toBe("Stopped with strategy 'Terminate'");
  });

  it('an approval gate: a suspend node gets its output from node set and goes on after resume', async () => {
    const name = await submit(
      'approve',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: approve-me}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: approve, template: approve}
    - - name: release
        template: show
        arguments: {parameters: [{name: message, value: "{{steps.approve.outputs.parameters.message}}"}]}
  - name: approve
    suspend: {}
    outputs: {parameters: [{name: message, valueFrom: {supplied: {}}}]}
  - name: show
    inputs: {parameters: [{name: message}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.message}}"]}
`,
    );
    await waitFor(name, (_, nodes) => byName(nodes, 'approve')?.phase === 'Running');
    const set = await regatta(['node', 'set', name, '--node-field-selector', 'displayName=approve', '--output-parameter', 'message=ship it'], prefix);
    expect(set).toMatchObject({ code: 0, stdout: 'workflow values set\n' });
    expect((await regatta(['resume', name], prefix)).code).toBe(0);
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    expect(byName(Object.values(workflow.status!.nodes!), 'release')?.outputs?.result).toBe('ship it');
  });

  it('suspend holds new nodes back until resume', async () => {
    // `nap` runs until the test opens its gate (in the test's folder, mounted at /host), however slow the machine.
    const gate = `regatta-gate-${prefix}`;
    const napUntilOpen = `command: [sh, -c, "while [ ! -e /host/${gate} ]; do sleep 0.1; done; rm /host/${gate}"], ${HOST_MOUNT}`;
    const name = await submit('suspend', SLEEPER('suspend-me', HOST_VOLUME).replace('command: [sleep, "30"]', napUntilOpen).replace('  onExit: bye\n', ''));
    await waitFor(name, (_, nodes) => byName(nodes, 'nap')?.phase === 'Running');
    expect((await regatta(['suspend', name], prefix)).code).toBe(0);
    writeFileSync(join(dir, gate), '');
    const held = await waitFor(name, (_, nodes) => byName(nodes, 'after') !== undefined);
    expect(byName(Object.values(held.status!.nodes!), 'after')?.phase).toBe('Pending');
    expect(held.spec.suspend).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(byName(Object.values((await get(name)).status!.nodes!), 'after')?.phase).toBe('Pending');
    expect((await regatta(['resume', name], prefix)).code).toBe(0);
    await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
  });

  it("the workflow's activeDeadlineSeconds kills what runs and fails the workflow", async () => {
    const name = await submit('deadline', SLEEPER('deadline-me', '  activeDeadlineSeconds: 2').replace('  onExit: bye\n', ''));
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    const nap = byName(Object.values(workflow.status!.nodes!), 'nap')!;
    expect(nap.phase).toBe('Failed');
    expect(['Step exceeded its deadline', 'Pod was active on the node longer than the specified deadline']).toContain(nap.message);
    expect(Date.parse(workflow.status!.finishedAt!) - Date.parse(workflow.status!.startedAt!)).toBeLessThan(10_000);
  });

  it("a template's timeout stops its process with Argo's pod deadline message", async () => {
    const name = await submit('timeout', SLEEPER('timeout-me').replace('  - name: nap\n', '  - name: nap\n    timeout: 1s\n').replace('  onExit: bye\n', ''));
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    expect(byName(Object.values(workflow.status!.nodes!), 'nap')).toMatchObject({
      phase: 'Failed',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });

  it('memoize: a second run with the same key takes the outputs from the cache instead of running', async () => {
    const yaml = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: main
  templates:
  - name: main
    memoize: {key: "stamp-v1", maxAge: "1h", cache: {configMap: {name: stamps}}}
    container: {image: busybox, command: [sh, -c, "date +%s%N"]}
`;
    const first = await waitFor(await submit('memo-1', yaml('memo-first')), (wf) => wf.status?.phase === 'Succeeded');
    const second = await waitFor(await submit('memo-2', yaml('memo-second')), (wf) => wf.status?.phase === 'Succeeded');
    const [ran, cached] = [first, second].map((wf) => wf.status!.nodes![wf.metadata.name!]!);
    expect(ran.memoizationStatus).toEqual({ hit: false, key: 'stamp-v1', cacheName: 'stamps' });
    expect(cached.memoizationStatus).toEqual({ hit: true, key: 'stamp-v1', cacheName: 'stamps' });
    expect(cached.outputs?.result).toBe(ran.outputs?.result);
  });

  it('retry runs the failed node again and keeps the one that succeeded', async () => {
    const name = await submit(
      'retry',
      flakyOnce('retry-me', `regatta-retry-${prefix}`),
    );
    const failed = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    const stamp = byName(Object.values(failed.status!.nodes!), 'stamp')!;
    const notYet = await regatta(['retry', 'nowhere'], prefix);
    expect(notYet.code).toBe(1);
    expect((await regatta(['retry', name], prefix)).stdout).toBe(`workflow ${name} retried\n`);
    const succeeded = await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    const nodes = Object.values(succeeded.status!.nodes!);
    expect(byName(nodes, 'stamp')).toMatchObject({ outputs: stamp.outputs, finishedAt: stamp.finishedAt });
    expect(byName(nodes, 'flaky')?.phase).toBe('Succeeded');
    const again = await regatta(['retry', name], prefix);
    expect(again.stderr).toContain('only a Failed or Error workflow can be retried');
  });

  it('ttlStrategy deletes a finished workflow after its seconds', async () => {
    const name = await submit(
      'ttl',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ttl-me}
spec:
  entrypoint: main
  ttlStrategy: {secondsAfterSuccess: 3}
  templates:
  - name: main
    container: {image: busybox, command: ["true"]}
`,
    );
    await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    const deadline = Date.now() + 10_000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      gone = (await regatta(['get', name], prefix)).code === 1;
      if (!gone) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(gone).toBe(true);
    expect((await regatta(['list'], prefix)).stdout).not.toContain(name);
  });

  it('podGC OnWorkflowCompletion drops the node logs once the workflow ends', async () => {
    const name = await submit(
      'podgc',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: gc-me}
spec:
  entrypoint: main
  podGC: {strategy: OnWorkflowCompletion}
  templates:
  - name: main
    container: {image: busybox, command: [echo, collected-line]}
`,
    );
    const workflow = await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    expect(workflow.status!.nodes![name]!.outputs?.result).toBe('collected-line');
    const deadline = Date.now() + 5_000;
    let logs = await regatta(['logs', name], prefix);
    while (logs.stdout.includes('collected-line') && Date.now() < deadline) logs = await regatta(['logs', name], prefix);
    expect(logs.stdout).not.toContain('collected-line');
  });

  it('resubmit --memoized keeps the nodes that succeeded and runs the rest', async () => {
    const name = await submit(
      'resubmit-memo',
      flakyOnce('memo-again', `regatta-memo-${prefix}`),
    );
    const failed = await waitFor(name, (wf) => wf.status?.phase === 'Failed');
    const stamp = byName(Object.values(failed.status!.nodes!), 'stamp')!;
    const result = await regatta(['resubmit', name, '--memoized'], prefix);
    expect(result.stderr).toBe('');
    const copy = result.stdout.trim().replace(/^Name: /, '');
    const succeeded = await waitFor(copy, (wf) => wf.status?.phase === 'Succeeded');
    const nodes = Object.values(succeeded.status!.nodes!);
    expect(byName(nodes, 'stamp')).toMatchObject({ name: `${copy}[0].stamp`, outputs: stamp.outputs });
    expect(byName(nodes, 'flaky')?.phase).toBe('Succeeded');
  });

  it('resubmit runs the same spec again under a new name', async () => {
    const name = await submit('resubmit', SLEEPER('resubmit-me').replace('command: [sleep, "30"]', 'command: ["true"]'));
    await waitFor(name, (wf) => wf.status?.phase === 'Succeeded');
    const result = await regatta(['resubmit', name], prefix);
    expect(result.code).toBe(0);
    const copy = result.stdout.trim().replace(/^Name: /, '');
    expect(copy).toMatch(/^resubmit-me-[a-z0-9]{5}$/);
    const workflow = await waitFor(copy, (wf) => wf.status?.phase === 'Succeeded');
    expect(workflow.metadata.labels?.['workflows.argoproj.io/resubmitted-from-workflow']).toBe(name);
  });
});

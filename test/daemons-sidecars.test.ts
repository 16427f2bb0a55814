// Daemons and sidecars: first on the worker's side, a Worker with the local executor taking node jobs
// added by hand and reporting to the shard stream; then whole workflows through `regatta run`.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalExecutor } from '@regatta/executors';
import { NodePool, nodeJobData, nodeJobId } from '@regatta/queue';
import { nodeRunSchema } from '@regatta/protocol';
import type { NodeJob, Workflow } from '@regatta/spec';
import { Keys, LogStore, redisFactory } from '@regatta/store';
import { createLogger } from '@regatta/telemetry';
import { Worker } from '@regatta/worker';
import { regatta } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { freePort } from './support/free-port.js';

const prefix = uniquePrefix();
const keys = new Keys(prefix);
const redis = new Redis(REDIS_URL);
const workDir = mkdtempSync(join(tmpdir(), 'regatta-daemons-'));
const pool = new NodePool<NodeJob>({ connection: redis, prefix: keys.pool('default'), job: nodeRunSchema });
// A lock of 1 s: a daemon that outlives it several times over must keep its job (BullMQ renews the lock).
const worker = new Worker({
  connect: redisFactory(REDIS_URL),
  keys,
  logger: createLogger('worker', { level: 'silent' }),
  executor: new LocalExecutor({ workDir, killGraceMs: 1_000 }),
  config: { lockDurationMs: 1_000 },
});
worker.start();
/** `regatta run` starts its own scheduler and worker: under a prefix of its own, not this test's Worker. */
const runPrefix = uniquePrefix();
afterAll(async () => {
  await worker.close();
  await pool.close();
  await removePrefix(prefix);
  await removePrefix(runPrefix);
  redis.disconnect();
  rmSync(workDir, { recursive: true, force: true });
});

function job(container: NodeJob['container'], extra: Partial<NodeJob> = {}): NodeJob {
  const uid = randomUUID();
  return { workflow: { name: 'wf', namespace: 'default', uid }, nodeId: `wf-${uid.slice(0, 8)}`, nodeName: 'wf', attempt: 0, templateName: 'main', container, ...extra };
}

/** Node logs are kept only for a workflow whose record exists, so each hand-made node gets one. */
async function dispatch(node: NodeJob): Promise<void> {
  await redis.hset(keys.workflow(node.workflow.uid).record, { resource: '{}', status: '{}', version: 0, epoch: 0, shard: 0 });
  await pool.dispatch([nodeJobData(0, [{ id: nodeJobId(node.workflow.uid, node.nodeId, node.attempt), job: node }])]);
}

/** The events reported for a workflow, in order. */
async function events(uid: string): Promise<unknown[]> {
  // An entry holds one event ('u', 'e') or the worker's batch of them ('b').
  const entries = await redis.xrange(keys.shard(0).events, '-', '+');
  const all = entries.flatMap(([, fields]): [string, unknown][] =>
    fields[0] === 'b' ? (JSON.parse(fields[1]!) as [string, unknown][]) : [[fields[1]!, JSON.parse(fields[3]!) as unknown]],
  );
  return all.filter(([owner]) => owner === uid).map(([, event]) => event);
}

/** Pids of live processes whose command line (arguments ended by NUL bytes) matches. */
function processes(matches: (cmdline: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (matches(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) pids.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return pids;
}

const processesWith = (marker: string) => processes((cmdline) => cmdline.includes(marker));

/** A `sleep` whose argument no other process has: 300 s and a random fraction. */
const uniqueSleep = () => `300.${String(Math.random()).slice(2, 11)}`;

describe('a daemon node on the worker', () => {
  it('reports nodeDaemoned once its process runs, keeps it past the job lock, and stops it on cancellation without reporting', async () => {
    const seconds = uniqueSleep();
    const node = job({ image: 'busybox', command: ['sleep', seconds] }, { daemon: true });
    await dispatch(node);
    const daemoned = { type: 'nodeDaemoned', nodeId: node.nodeId, attempt: 0 };
    await expect.poll(() => events(node.workflow.uid), { timeout: 10_000 }).toEqual([daemoned]);
    // The command itself, once the sandbox has exec'd it.
    const sleeping = () => processes((cmdline) => cmdline === `sleep\0${seconds}\0`);
    await expect.poll(sleeping, { timeout: 2_000 }).toHaveLength(1);
    const pids = sleeping();

    // Three lock durations later: the same process, and the job was not handed out again.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(sleeping()).toEqual(pids);
    expect(await pool.counts()).toMatchObject({ active: 1, waiting: 0, failed: 0 });
    expect(await events(node.workflow.uid)).toEqual([daemoned]);

    await redis.publish(keys.cancellations, JSON.stringify({ uid: node.workflow.uid, nodes: [node.nodeId] }));
    await expect.poll(() => processesWith(seconds), { timeout: 3_000 }).toEqual([]);
    // The job ends (it is removed on completion) without a result.
    await expect.poll(() => pool.counts(), { timeout: 3_000 }).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(await events(node.workflow.uid)).toEqual([daemoned]);
  });

  it('reports nodeFinished after nodeDaemoned when its process exits by itself', async () => {
    const node = job({ image: 'busybox', command: ['sh', '-c', 'sleep 0.3; echo bye'] }, { daemon: true });
    await dispatch(node);
    await expect.poll(() => events(node.workflow.uid), { timeout: 10_000 }).toEqual([
      { type: 'nodeDaemoned', nodeId: node.nodeId, attempt: 0 },
      expect.objectContaining({ type: 'nodeFinished', nodeId: node.nodeId, attempt: 0, phase: 'Succeeded', outputs: { result: 'bye', exitCode: '0' } }),
    ]);
  });
});

describe('a node with sidecars on the worker', () => {
  it("reports the main container's result, with the sidecar's lines tagged in the node's log", async () => {
    const seconds = uniqueSleep();
    const server = { name: 'server', image: 'busybox', command: ['sh', '-c', `echo listening; echo up > /tmp/ready; exec sleep ${seconds}`] };
    const main = ['sh', '-c', 'until [ -f /tmp/ready ]; do sleep 0.05; done; cat /tmp/ready; exit 0'];
    const node = job({ image: 'busybox', command: main }, { sidecars: [server] });
    await dispatch(node);
    await expect.poll(() => events(node.workflow.uid), { timeout: 10_000 }).toEqual([
      expect.objectContaining({ type: 'nodeFinished', nodeId: node.nodeId, phase: 'Succeeded', outputs: { result: 'up', exitCode: '0' } }),
    ]);
    expect(processesWith(seconds)).toEqual([]);
    const { lines } = await new LogStore(redis, keys).read(node.workflow.uid, '0');
    // Two pipes: the order in which their lines arrive is not fixed.
    expect(lines.map(({ line }) => line).sort()).toEqual(['[server] listening', 'up']);
    expect(lines.every((line) => line.nodeId === node.nodeId && line.stream === 'stdout')).toBe(true);
  });
});

/** Python's HTTP server on loopback, named by a marker in its source. */
const httpServer = (port: number, marker: string) => ({
  image: 'python:3.12',
  command: ['python3', '-c', `# ${marker}\nimport http.server\nhttp.server.HTTPServer(('127.0.0.1', ${port}), http.server.SimpleHTTPRequestHandler).serve_forever()`],
});

/** Polls the server (nothing waits for it to be ready, as in Argo) and prints the response's status. */
const httpClient = (host: string, port: number) => ({
  image: 'python:3.12',
  command: [
    'python3',
    '-c',
    `import time, urllib.request\nfor _ in range(100):\n  try:\n    print(urllib.request.urlopen('http://${host}:${port}/').status); break\n  except OSError:\n    time.sleep(0.1)`,
  ],
});

async function run(workflow: object): Promise<Workflow> {
  const file = join(workDir, `${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(workflow));
  const result = await regatta(['run', file, '-o', 'json'], runPrefix);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Workflow;
}

const nodeNamed = (workflow: Workflow, displayName: string) => Object.values(workflow.status?.nodes ?? {}).find((node) => node.displayName === displayName);

describe('daemons and sidecars through regatta run', () => {
  it('serves a later step from a daemon step at its IP, and stops the daemon when the steps end', async () => {
    const [port, marker] = [await freePort(), `regatta-test-${randomUUID()}`];
    const workflow = await run({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { generateName: 'daemon-step-' },
      spec: {
        entrypoint: 'main',
        templates: [
          {
            name: 'main',
            steps: [[{ name: 'server', template: 'server' }], [{ name: 'client', template: 'client', arguments: { parameters: [{ name: 'ip', value: '{{steps.server.ip}}' }] } }]],
          },
          { name: 'server', daemon: true, container: httpServer(port, marker) },
          { name: 'client', inputs: { parameters: [{ name: 'ip' }] }, container: httpClient('{{inputs.parameters.ip}}', port) },
        ],
      },
    });
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(nodeNamed(workflow, 'server')).toMatchObject({ type: 'Pod', phase: 'Succeeded', daemoned: true, podIP: '127.0.0.1' });
    expect(nodeNamed(workflow, 'client')?.outputs?.result).toBe('200');
    await expect.poll(() => processesWith(marker), { timeout: 3_000 }).toEqual([]);
  });

  it('runs a sidecar beside the main container, which reaches it on localhost', async () => {
    const [port, marker] = [await freePort(), `regatta-test-${randomUUID()}`];
    const workflow = await run({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { generateName: 'sidecar-' },
      spec: {
        entrypoint: 'main',
        templates: [{ name: 'main', container: httpClient('localhost', port), sidecars: [{ name: 'server', ...httpServer(port, marker) }] }],
      },
    });
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(nodeNamed(workflow, workflow.metadata.name!)?.outputs).toEqual({ result: '200', exitCode: '0' });
    expect(processesWith(marker)).toEqual([]);
  });
});

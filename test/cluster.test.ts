// All keys of one workflow share a hash tag and queues use hash-tagged prefixes: a workflow runs on a
// local 3-node Redis Cluster started here on loopback ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { freePort } from './support/free-port.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) process.stdout.write('Redis Cluster test skipped: redis-server is not on PATH, so no local cluster can be started\n');
const nodes: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-cluster-'));
let url = '';
let ports: number[] = [];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cli = (port: number, ...args: string[]) => spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();

/** Starts one cluster-mode redis-server, holding no slots yet, and waits until it answers. */
async function startNode(): Promise<number> {
  // Cluster bus ports are port + 10000: keep both under 65536.
  let port = await freePort();
  while (port > 55_000) port = await freePort();
  const nodeDir = join(dir, String(port));
  mkdirSync(nodeDir);
  nodes.push(
    spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', '--dir', nodeDir, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    }),
  );
  for (let i = 0; i < 50 && cli(port, 'ping') !== 'PONG'; i++) await pause(100);
  return port;
}

beforeAll(async () => {
  if (!hasRedisServer) return;
  for (let i = 0; i < 3; i++) ports.push(await startNode());
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  expect(created.status, created.stdout + created.stderr).toBe(0);
  // Every node, not just the first: the others learn the slot map a moment later.
  const formed = (port: number) => cli(port, 'cluster', 'info').includes('cluster_state:ok');
  for (let i = 0; i < 100 && !ports.every(formed); i++) await pause(100);
  url = `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`;
}, 30_000);

afterAll(() => {
  for (const node of nodes) node.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis Cluster', () => {
  it.runIf(hasRedisServer)('runs a DAG workflow with its keys spread over three nodes', async () => {
    const result = await regatta(['run', 'examples/dag-diamond.yaml', '-o', 'json'], 'regatta', { REDIS_URL: url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const workflow = JSON.parse(result.stdout) as Workflow;
    expect(workflow.status?.phase).toBe('Succeeded');
    const d = Object.values(workflow.status!.nodes!).find((n) => n.displayName === 'D');
    expect(d?.outputs?.result).toBe('6');
    // The shards, the workflow and the node pool landed on every node of the cluster.
    for (const port of ports) {
      expect(Number(spawnSync('redis-cli', ['-p', String(port), 'dbsize'], { encoding: 'utf8' }).stdout.trim())).toBeGreaterThan(0);
    }
  });

  it.runIf(hasRedisServer)('waits for a cluster that fails its first ready check and then forms', async () => {
    // One node holding half the slots: it names itself in CLUSTER SLOTS but reports cluster_state:fail.
    const port = await startNode();
    expect(cli(port, 'cluster', 'addslotsrange', '0', '8191')).toBe('OK');
    const readyChecks = () => Number(/cmdstat_cluster\|info:calls=(\d+)/.exec(cli(port, 'info', 'commandstats'))?.[1] ?? 0);
    const checksBefore = readyChecks();
    const run = regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], 'regatta', { REDIS_URL: `redis+cluster://127.0.0.1:${port}` });
    for (let i = 0; i < 200 && readyChecks() === checksBefore; i++) await pause(50);
    expect(readyChecks()).toBeGreaterThan(checksBefore);
    expect(cli(port, 'cluster', 'addslotsrange', '8192', '16383')).toBe('OK');
    const result = await run;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');
  });
});

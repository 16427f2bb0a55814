// All keys of one workflow share a hash tag and queues use hash-tagged prefixes: a workflow runs on a
// local 3-node Redis Cluster started here on loopback ports.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) process.stdout.write('Redis Cluster test skipped: redis-server is not on PATH, so no local cluster can be started\n');
const nodes: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-cluster-'));
let url = '';
let ports: number[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!hasRedisServer) return;
  for (let i = 0; i < 3; i++) {
    // Cluster bus ports are port + 10000: keep both under 65536.
    let port = await freePort();
    while (port > 55_000) port = await freePort();
    ports.push(port);
    const nodeDir = join(dir, String(port));
    spawnSync('mkdir', ['-p', nodeDir]);
    nodes.push(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--dir', nodeDir, '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      }),
    );
  }
  for (const port of ports) {
    for (let i = 0; i < 50 && spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() !== 'PONG'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  expect(created.status, created.stdout + created.stderr).toBe(0);
  for (let i = 0; i < 50; i++) {
    const info = spawnSync('redis-cli', ['-p', String(ports[0]), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
    if (info.includes('cluster_state:ok')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
});

// A Redis that asks for a password, over plain TCP, TLS, and as a TLS Cluster: every command works with
// the credentials in REDIS_URL or REDIS_PASSWORD, fails at once with a clear message without them, and
// never prints the password. The servers are this test's own, on free loopback ports; the certificate a
// throwaway one made with openssl.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService, type CliResult } from './support/cli.js';
import { uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';
import { freePort } from './support/free-port.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
// A build without TLS refuses the directive; one with TLS fails later, on the missing certificate.
const probe = spawnSync('redis-server', ['--port', '0', '--tls-port', '1', '--tls-cert-file', '/nonexistent'], { encoding: 'utf8', timeout: 10_000 });
const hasTls = hasRedisServer && !/Bad directive/.test(probe.stdout + probe.stderr);
if (!hasRedisServer) process.stdout.write('Redis authentication tests skipped: redis-server is not on PATH\n');
else if (!hasTls) process.stdout.write('Redis TLS tests skipped: this redis-server is built without TLS\n');

/** Characters a URL must encode, so that both ways of giving it are tested for real. */
const PASSWORD = 'pw@:/?#%41-' + Math.random().toString(36).slice(2);
const WRONG = 'not-the-password-' + Math.random().toString(36).slice(2);
const dir = mkdtempSync(join(tmpdir(), 'regatta-redis-auth-'));
const servers: ChildProcess[] = [];
let port = 0;
let tlsPort = 0;
let clusterPort = 0;

/** A port whose cluster bus port (port + 10000) exists too. */
async function clusterFreePort(): Promise<number> {
  for (;;) {
    const free = await freePort();
    if (free < 55_000) return free;
  }
}

const url = (scheme: string, at: number, password = PASSWORD) => `${scheme}://:${encodeURIComponent(password)}@127.0.0.1:${at}`;
const tlsEnv = () => ({ NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
const tlsClient = (at: number) => new Redis({ host: '127.0.0.1', port: at, password: PASSWORD, tls: { ca: readFileSync(join(dir, 'cert.pem')) } });

/** Whether a new client of `connect`'s making answers PING; it is closed either way. */
async function answers(client: Redis): Promise<boolean> {
  client.on('error', () => {});
  try {
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function startServer(name: string, args: string[]): void {
  const serverDir = join(dir, name);
  mkdirSync(serverDir);
  servers.push(spawn('redis-server', ['--bind', '127.0.0.1', '--requirepass', PASSWORD, '--dir', serverDir, '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' }));
}

beforeAll(async () => {
  if (!hasRedisServer) return;
  port = await freePort();
  const args = ['--port', String(port)];
  if (hasTls) {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    tlsPort = await freePort();
    clusterPort = await clusterFreePort();
    const tls = ['--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', join(dir, 'cert.pem'), '--tls-auth-clients', 'no'];
    args.push('--tls-port', String(tlsPort), ...tls);
    // A cluster of one node holding every slot, spoken to over TLS only.
    startServer('cluster', ['--port', '0', '--tls-port', String(clusterPort), '--tls-cluster', 'yes', '--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1', ...tls]);
  }
  startServer('single', args);
  const once = { retryStrategy: () => null, maxRetriesPerRequest: 0 };
  await until('the password-protected Redis', () => answers(new Redis({ port, password: PASSWORD, ...once })));
  if (!hasTls) return;
  await until('the TLS cluster node', () => answers(new Redis({ port: clusterPort, password: PASSWORD, tls: { ca: readFileSync(join(dir, 'cert.pem')) }, ...once })));
  const node = tlsClient(clusterPort);
  await node.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  await until('the TLS cluster to form', async () => String(await node.call('CLUSTER', 'INFO')).includes('cluster_state:ok'));
  node.disconnect();
}, 60_000);

afterAll(() => {
  for (const server of servers) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function expectSucceeded(result: CliResult): void {
  expect(result.stderr).not.toContain(PASSWORD);
  expect(result.code, result.stderr).toBe(0);
  expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');
}

/** Shows no password, right or wrong, and says where credentials go. */
function expectRefused(result: CliResult, reply: 'WRONGPASS' | 'NOAUTH'): void {
  expect(result.code).toBe(1);
  expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  expect(result.stdout + result.stderr).not.toContain(WRONG);
  expect(result.stderr).toContain(`Redis refused the credentials (${reply}`);
  expect(result.stderr).toContain('REDIS_PASSWORD');
}

describe('a Redis with a password', () => {
  it.runIf(hasRedisServer)('runs a workflow with the password in REDIS_URL, and in REDIS_PASSWORD', async () => {
    const prefix = uniquePrefix();
    expectSucceeded(await regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], prefix, { REDIS_URL: url('redis', port), LOG_LEVEL: 'debug' }));
    expectSucceeded(await regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], prefix, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PASSWORD: PASSWORD }));
  });

  it.runIf(hasRedisServer)('serves a scheduler, a worker and submit, none of which logs the password', async () => {
    const prefix = uniquePrefix();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PASSWORD: PASSWORD, LOG_LEVEL: 'debug' };
    const services = [startService(['scheduler'], prefix, env), startService(['worker'], prefix, env)];
    try {
      expectSucceeded(await regatta(['submit', 'examples/dag-diamond.yaml', '--watch', '-o', 'json'], prefix, { REDIS_URL: url('redis', port) }));
    } finally {
      await Promise.all(services.map(({ child }) => stopService(child)));
    }
    for (const { output } of services) {
      expect(output()).toContain('"msg"');
      expect(output()).not.toContain(PASSWORD);
    }
  });

  it.runIf(hasRedisServer)('stops run, submit, scheduler and worker at once with a clear message when the password is wrong or missing', async () => {
    const prefix = uniquePrefix();
    const commands = [['run', 'examples/hello-world.yaml'], ['submit', 'examples/hello-world.yaml'], ['list'], ['scheduler'], ['worker']];
    const [wrong, missing] = await Promise.all([
      Promise.all(commands.map((args) => regatta(args, prefix, { REDIS_URL: url('redis', port, WRONG) }))),
      Promise.all(commands.map((args) => regatta(args, prefix, { REDIS_URL: `redis://127.0.0.1:${port}` }))),
    ]);
    for (const result of wrong) expectRefused(result, 'WRONGPASS');
    for (const result of missing) expectRefused(result, 'NOAUTH');
  }, 60_000);

  it.runIf(hasRedisServer)('keeps the password out of what a worker prints when Redis starts refusing it', async () => {
    const admin = new Redis({ port, password: PASSWORD });
    const worker = startService(['worker'], uniquePrefix(), { REDIS_URL: url('redis', port) });
    const exited = new Promise((resolve) => worker.child.once('exit', resolve));
    try {
      await until('the worker to start', async () => worker.output().includes('worker started'));
      // The password is changed under it: its reconnections send the old one, refused.
      await admin.config('SET', 'requirepass', WRONG);
      await admin.client('KILL', 'TYPE', 'normal');
      await until('the worker to report refused reconnections', async () => worker.output().includes('WRONGPASS'));
    } finally {
      // Killed: only what it printed matters here.
      worker.child.kill('SIGKILL');
      await exited;
      await admin.config('SET', 'requirepass', PASSWORD);
      admin.disconnect();
    }
    expect(worker.output()).not.toContain(PASSWORD);
  });

  it.runIf(hasTls)('runs a workflow over TLS (rediss://), checking the server certificate', async () => {
    const prefix = uniquePrefix();
    expectSucceeded(await regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], prefix, { REDIS_URL: url('rediss', tlsPort), ...tlsEnv() }));
    const untrusted = await regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], prefix, { REDIS_URL: url('rediss', tlsPort) });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^cannot use the Redis at rediss:\/\/:\[redacted\]@127\.0\.0\.1:\d+: self[- ]signed certificate/);
  });

  it.runIf(hasTls)('runs a workflow on a TLS Cluster (rediss+cluster://) with a password', async () => {
    const prefix = uniquePrefix();
    const cluster = { REDIS_URL: `rediss+cluster://127.0.0.1:${clusterPort}`, ...tlsEnv() };
    expectSucceeded(await regatta(['run', 'examples/dag-diamond.yaml', '-o', 'json'], prefix, { ...cluster, REDIS_PASSWORD: PASSWORD }));
    const node = tlsClient(clusterPort);
    expect(await node.keys(`${prefix}:*`)).not.toHaveLength(0);
    node.disconnect();
    expectRefused(await regatta(['submit', 'examples/hello-world.yaml'], prefix, { ...cluster, REDIS_PASSWORD: WRONG }), 'WRONGPASS');
  });
});

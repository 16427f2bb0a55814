// A real Kubernetes control plane for tests: etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler from the cache that scripts/kube/build-control-plane.sh fills, on loopback only, in a
// temporary folder, with TLS (a throwaway CA), static token auth and RBAC. No kubelet of its own: pods
// stay Pending unless a test starts one (test/support/local-kubelet.ts) for a node named in `nodes`.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the build script puts the binaries; keep in step with scripts/kube/build-control-plane.sh. */
export function kubeCacheDir(): string {
  return process.env.REGATTA_KUBE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'regatta-kube');
}

export function kubeBinary(name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl'): string {
  const path = join(kubeCacheDir(), 'bin', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/kube/build-control-plane.sh first (it builds the control plane once)`);
  return path;
}

export interface ControlPlaneUser {
  name: string;
  token: string;
  kubeconfigPath: string;
}

export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  server: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  ca: string;
  /** In system:masters. */
  admin: ControlPlaneUser;
  /** Authenticated, in no group and bound to no role: RBAC forbids it everything but discovery. */
  limited: ControlPlaneUser;
  /** The admin's, as the issue's harness shape asks. */
  kubeconfigPath: string;
  token: string;
  /** Holds the certificates, keys, etcd's data and each process's log (`<name>.log`). */
  dir: string;
  /** Process ids by component, for measurements. */
  pids: Record<string, number>;
  /** A kubelet's identity for each of `ControlPlaneOptions.nodes`: user `system:node:<name>` in group `system:nodes`. */
  nodes: Record<string, ControlPlaneUser>;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Also run the controller-manager and the scheduler (default true). */
  controllers?: boolean;
  readyTimeoutMs?: number;
  /** Node names a kubelet will register (test/support/local-kubelet.ts): each gets a token (the token file is read once, at start). */
  nodes?: string[];
}

// Cluster-internal addresses the apiserver needs to hold even with no node: the `kubernetes` Service's IP
// comes from this range, and service-account tokens name this issuer.
const serviceCidr = '10.96.0.0/24';
const serviceIp = '10.96.0.1';
const issuer = 'https://kubernetes.default.svc.cluster.local';

export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = {
    etcd: kubeBinary('etcd'),
    apiserver: kubeBinary('kube-apiserver'),
    controllerManager: kubeBinary('kube-controller-manager'),
    scheduler: kubeBinary('kube-scheduler'),
  };
  const dir = await mkdtemp(join(tmpdir(), 'regatta-kube-'));
  const children: { name: string; child: ChildProcess }[] = [];
  const stop = async (): Promise<void> => {
    process.off('exit', killAll);
    // Reverse order: clients of the apiserver first, etcd last.
    for (const { child } of [...children].reverse()) await terminate(child);
    await rm(dir, { recursive: true, force: true });
  };
  // A test runner that exits without calling stop() still takes the control plane with it.
  const killAll = (): void => {
    for (const { child } of children) signalGroup(child, 'SIGKILL');
  };
  process.on('exit', killAll);
  try {
    const pki = await makePki(dir);
    const [etcdPort, etcdPeerPort, apiPort] = await freePorts(3);
    const server = `https://127.0.0.1:${apiPort}`;
    const users = {
      admin: { name: 'regatta-admin', token: token(), groups: 'system:masters' },
      limited: { name: 'regatta-limited', token: token(), groups: '' },
      controllerManager: { name: 'system:kube-controller-manager', token: token(), groups: '' },
      scheduler: { name: 'system:kube-scheduler', token: token(), groups: '' },
    };
    // Kubelets: the Node authorizer and NodeRestriction admit what `system:node:<name>` in `system:nodes` does.
    const nodeUsers = Object.fromEntries((options.nodes ?? []).map((node) => [node, { name: `system:node:${node}`, token: token(), groups: 'system:nodes' }]));
    // Static token file: token,user,uid,"groups" (the bootstrap RBAC policy binds the two component users).
    await writeFile(
      join(dir, 'tokens.csv'),
      [...Object.values(users), ...Object.values(nodeUsers)]
        .map((u) => `${u.token},${u.name},${u.name}${u.groups ? `,"${u.groups}"` : ''}\n`)
        .join(''),
      { mode: 0o600 },
    );
    const kubeconfig = async (user: { name: string; token: string }): Promise<string> => {
      const path = join(dir, `${user.name.replace(/[^a-z0-9-]/g, '-')}.kubeconfig`);
      await writeFile(path, kubeconfigYaml(server, pki.caPem, user.name, user.token), { mode: 0o600 });
      return path;
    };

    children.push({
      name: 'etcd',
      child: launch(dir, 'etcd', binaries.etcd, [
        '--name=regatta',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
        `--initial-cluster=regatta=http://127.0.0.1:${etcdPeerPort}`,
      ]),
    });
    children.push({
      name: 'kube-apiserver',
      child: launch(dir, 'kube-apiserver', binaries.apiserver, [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        '--insecure-port=0',
        `--cert-dir=${join(dir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--anonymous-auth=false',
        '--authorization-mode=Node,RBAC',
        '--enable-admission-plugins=NodeRestriction',
        // pods/log and pods/exec: the apiserver dials the kubelet at the Node's InternalIP, checks its
        // serving certificate against the test CA and shows its own client certificate.
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        `--kubelet-certificate-authority=${pki.caCert}`,
        `--kubelet-client-certificate=${pki.kubeletClientCert}`,
        `--kubelet-client-key=${pki.kubeletClientKey}`,
        `--service-cluster-ip-range=${serviceCidr}`,
        `--service-account-issuer=${issuer}`,
        `--service-account-key-file=${pki.saPublic}`,
        `--service-account-signing-key-file=${pki.saKey}`,
        '--allow-privileged=true',
        '--profiling=false',
      ]),
    });
    const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
    await waitReady(server, pki.caPem, users.admin.token, children, dir, readyTimeoutMs);

    if (options.controllers ?? true) {
      const common = ['--leader-elect=false', '--port=0', '--secure-port=0', '--profiling=false'];
      children.push({
        name: 'kube-controller-manager',
        child: launch(dir, 'kube-controller-manager', binaries.controllerManager, [
          `--kubeconfig=${await kubeconfig(users.controllerManager)}`,
          `--service-account-private-key-file=${pki.saKey}`,
          `--root-ca-file=${pki.caCert}`,
          '--use-service-account-credentials=true',
          ...common,
        ]),
      });
      children.push({
        name: 'kube-scheduler',
        child: launch(dir, 'kube-scheduler', binaries.scheduler, [`--kubeconfig=${await kubeconfig(users.scheduler)}`, ...common]),
      });
    }

    const admin = { name: users.admin.name, token: users.admin.token, kubeconfigPath: await kubeconfig(users.admin) };
    const limited = { name: users.limited.name, token: users.limited.token, kubeconfigPath: await kubeconfig(users.limited) };
    const nodes: Record<string, ControlPlaneUser> = {};
    for (const [node, user] of Object.entries(nodeUsers)) nodes[node] = { name: user.name, token: user.token, kubeconfigPath: await kubeconfig(user) };
    return {
      server,
      ca: pki.caPem,
      admin,
      limited,
      kubeconfigPath: admin.kubeconfigPath,
      token: admin.token,
      dir,
      pids: Object.fromEntries(children.map(({ name, child }) => [name, child.pid ?? -1])),
      nodes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function token(): string {
  return randomBytes(24).toString('hex');
}

/** Runs a component in its own process group (so stop() reaches whatever it forks), output to <name>.log. */
function launch(dir: string, name: string, binary: string, args: string[]): ChildProcess {
  const log = openSync(join(dir, `${name}.log`), 'a');
  try {
    return spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function freePorts(count: number): Promise<number[]> {
  // Held open together so the kernel gives distinct ports.
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Pki {
  caCert: string;
  caPem: string;
  servingCert: string;
  servingKey: string;
  kubeletClientCert: string;
  kubeletClientKey: string;
  saKey: string;
  saPublic: string;
}

/** A throwaway CA, the apiserver's serving certificate for loopback and its in-cluster names, and the service-account key pair. */
async function makePki(dir: string): Promise<Pki> {
  const p = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  await makeCertificateAuthority(dir);
  const serving = await signCertificate(dir, 'serving', '/CN=kube-apiserver', {
    usage: 'serverAuth',
    altNames: ['IP:127.0.0.1', 'DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default', 'DNS:kubernetes.default.svc', `IP:${serviceIp}`],
  });
  // What the apiserver shows a kubelet (pods/log); system:masters, as kubeadm's apiserver-kubelet-client.
  const kubeletClient = await signCertificate(dir, 'kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', { usage: 'clientAuth' });
  await openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', p('sa.key'));
  await openssl('pkey', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub'));
  return {
    caCert: p('ca.crt'),
    caPem: await readFile(p('ca.crt'), 'utf8'),
    servingCert: serving.cert,
    servingKey: serving.key,
    kubeletClientCert: kubeletClient.cert,
    kubeletClientKey: kubeletClient.key,
    saKey: p('sa.key'),
    saPublic: p('sa.pub'),
  };
}

/** A throwaway CA: `<dir>/ca.key` and `<dir>/ca.crt`, which signCertificate signs with. */
export async function makeCertificateAuthority(dir: string): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=regatta-test-ca', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt')], { cwd: dir });
}

/**
 * A key and a certificate signed by the plane's CA (`<dir>/ca.key`), as `<dir>/<name>.key|.crt`: for a
 * server (`altNames` such as `IP:127.0.0.1`) or a client (`subject` `/O=<group>/CN=<user>`).
 */
export async function signCertificate(
  dir: string,
  name: string,
  subject: string,
  { usage, altNames = [] }: { usage: 'serverAuth' | 'clientAuth'; altNames?: string[] },
): Promise<{ cert: string; key: string }> {
  const p = (suffix: string): string => join(dir, `${name}.${suffix}`);
  const openssl = (...args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir });
  const keyUsage = usage === 'serverAuth' ? 'digitalSignature,keyEncipherment' : 'digitalSignature';
  await writeFile(
    p('ext'),
    `basicConstraints=CA:FALSE\nkeyUsage=${keyUsage}\nextendedKeyUsage=${usage}\n` + (altNames.length > 0 ? `subjectAltName=${altNames.join(',')}\n` : ''),
  );
  await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', subject, '-keyout', p('key'), '-out', p('csr'));
  await openssl('x509', '-req', '-in', p('csr'), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', p('ext'), '-out', p('crt'));
  return { cert: p('crt'), key: p('key') };
}

function kubeconfigYaml(server: string, caPem: string, user: string, bearer: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: regatta-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${JSON.stringify(user)}`,
    '  user:',
    `    token: ${bearer}`,
    'contexts:',
    '- name: regatta-test',
    '  context:',
    '    cluster: regatta-test',
    `    user: ${JSON.stringify(user)}`,
    'current-context: regatta-test',
    '',
  ].join('\n');
}

/** Polls /readyz until it answers 200; fails early, with the log's tail, when a component exits. */
async function waitReady(
  server: string,
  ca: string,
  bearer: string,
  children: { name: string; child: ChildProcess }[],
  dir: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const dead = children.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead !== undefined) throw new Error(`${dead.name} exited before the apiserver was ready:\n${tail(join(dir, `${dead.name}.log`))}`);
    last = await readyz(server, ca, bearer).catch((error: unknown) => String(error));
    if (last === 'ok') return;
    if (Date.now() > deadline) {
      throw new Error(`kube-apiserver not ready after ${timeoutMs} ms (last /readyz: ${last}):\n${tail(join(dir, 'kube-apiserver.log'))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function readyz(server: string, ca: string, bearer: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${server}/readyz`, { ca, headers: { authorization: `Bearer ${bearer}` }, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `${res.statusCode}: ${body.slice(0, 500)}`));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

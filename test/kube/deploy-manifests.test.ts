// deploy/'s manifests against the real control plane (test/support/kube-control-plane.ts): every overlay
// builds with kubectl 1.20's own kustomize and passes a server-side dry run, the CRDs and RBAC are
// really applied (Argo's manifests then apply; each service account may do what it needs and no more),
// and the scheduler, worker and server start from the Deployments' own args and environment.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBridgeConfig } from '@regatta/kube-bridge';
import { readConfig } from '../../apps/cli/src/config.js';
import { ROOT, startService, stopService } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { kubeBinary, startControlPlane, type ControlPlane } from '../support/kube-control-plane.js';
import { removePrefix, uniquePrefix } from '../support/redis.js';
import { until } from '../support/until.js';

const run = promisify(execFile);
const OVERLAYS = ['quick-start', 'production'] as const;
const NAMESPACE = 'regatta';
const COMPONENTS = { scheduler: 'regatta-scheduler', worker: 'regatta-worker', server: 'regatta-server' } as const;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: DeploymentSpec;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args: string[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: EnvVar[];
}
interface DeploymentSpec {
  template: { spec: { containers: Container[] } };
}

let plane: ControlPlane;
const built = new Map<string, { yaml: string; manifests: Manifest[] }>();

function kubectl(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(kubeBinary('kubectl'), [`--kubeconfig=${plane.kubeconfigPath}`, `--cache-dir=${join(plane.dir, 'kubectl-cache')}`, ...args], {
    env: { PATH: process.env.PATH ?? '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (input !== undefined) child.child.stdin?.end(input);
  return child;
}

/** YAML 1.1, which kubectl reads: a string such as "yes" stays quoted. */
function yamlOf(manifests: Manifest[]): string {
  return manifests.map((manifest) => stringify(manifest, { version: '1.1' })).join('---\n');
}

/** `kubectl auth can-i` as a service account of the namespace: true or false. */
async function canI(serviceAccount: string, verb: string, resource: string, namespace = NAMESPACE): Promise<boolean> {
  // `workflows.argoproj.io/status`: kubectl asks about a subresource with --subresource.
  const [name, subresource] = resource.includes('.') ? resource.split('/') : [resource];
  const args = ['auth', 'can-i', verb, name!, ...(subresource ? [`--subresource=${subresource}`] : []), '-n', namespace];
  const answer = await kubectl([...args, `--as=system:serviceaccount:${NAMESPACE}:${serviceAccount}`]).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return answer.stdout.trim() === 'yes';
}

// The test plane is Kubernetes 1.20, which serves PodDisruptionBudgets as policy/v1beta1 only; the
// manifests use policy/v1 (1.21 and later, the only one from 1.25), whose spec is the same.
const forThisPlane = (manifest: Manifest): Manifest =>
  manifest.kind === 'PodDisruptionBudget' && manifest.apiVersion === 'policy/v1' ? { ...manifest, apiVersion: 'policy/v1beta1' } : manifest;

// The Prometheus Operator's CRD, as little of it as the ServiceMonitor needs to be admitted.
const SERVICE_MONITOR_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'servicemonitors.monitoring.coreos.com' },
  spec: {
    group: 'monitoring.coreos.com',
    names: { kind: 'ServiceMonitor', listKind: 'ServiceMonitorList', plural: 'servicemonitors', singular: 'servicemonitor' },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

const RBAC_KINDS = new Set(['Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

beforeAll(async () => {
  plane = await startControlPlane();
  for (const overlay of OVERLAYS) {
    const { stdout } = await kubectl(['kustomize', join(ROOT, 'deploy', 'overlays', overlay)]);
    built.set(overlay, { yaml: stdout, manifests: parseAllDocuments(stdout, { version: '1.1' }).map((document) => document.toJSON() as Manifest).filter(Boolean) });
  }
}, 180_000);

afterAll(async () => {
  await plane?.stop();
});

function overlay(name: (typeof OVERLAYS)[number]): Manifest[] {
  const manifests = built.get(name)?.manifests;
  if (!manifests) throw new Error(`overlay ${name} was not built`);
  return manifests;
}

function deployment(manifests: Manifest[], name: string): Container {
  const found = manifests.find((manifest) => manifest.kind === 'Deployment' && manifest.metadata.name === name);
  const container = found?.spec?.template.spec.containers[0];
  if (!container) throw new Error(`no Deployment ${name}`);
  return container;
}

/**
 * The environment a container gets from its envFrom and env, as the kubelet would give it: ConfigMaps and
 * Secrets from the overlay (a Secret it does not make, production's, from `secrets`), fieldRefs resolved.
 */
function environmentOf(manifests: Manifest[], container: Container, secrets: Record<string, Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  const named = (kind: string, name: string) => manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const configMap = named('ConfigMap', source.configMapRef.name);
      if (!configMap) throw new Error(`${container.name}: no ConfigMap ${source.configMapRef.name}`);
      Object.assign(env, configMap.data);
    }
    if (source.secretRef) {
      const secret = named('Secret', source.secretRef.name);
      const data = secret ? Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()])) : secrets[source.secretRef.name];
      if (!data) throw new Error(`${container.name}: no Secret ${source.secretRef.name}`);
      Object.assign(env, data);
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[variable.name] = NAMESPACE;
    else throw new Error(`${container.name}: env ${variable.name} comes from where this test does not resolve`);
  }
  return env;
}

describe('deploy/ applied to the real control plane', () => {
  it('applies the CRDs and RBAC for real, then every overlay passes a server-side dry run', async () => {
    for (const name of OVERLAYS) {
      const manifests = overlay(name);
      const kinds = new Set(manifests.map((manifest) => manifest.kind));
      for (const kind of ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'Role', 'RoleBinding', 'ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'ServiceMonitor', 'ConfigMap']) {
        expect(kinds, `${name} makes a ${kind}`).toContain(kind);
      }
      await kubectl(['apply', '-f', '-'], yamlOf([SERVICE_MONITOR_CRD as unknown as Manifest, ...manifests.filter((manifest) => RBAC_KINDS.has(manifest.kind))]));
      await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
      const { stdout } = await kubectl(['apply', '--dry-run=server', '-f', '-'], yamlOf(manifests.map(forThisPlane)));
      expect(stdout).toContain('deployment.apps/regatta-worker created (server dry run)');
      expect(stdout).toContain('servicemonitor.monitoring.coreos.com/regatta created (server dry run)');
    }
    const { stdout } = await kubectl(['get', 'crd', '-o', 'name']);
    for (const crd of ['workflows', 'workflowtemplates', 'clusterworkflowtemplates', 'cronworkflows', 'workfloweventbindings']) {
      expect(stdout).toContain(`customresourcedefinition.apiextensions.k8s.io/${crd}.argoproj.io`);
    }
  });

  it("takes Argo's own manifests as they are, and a Workflow's status apart from its spec", async () => {
    // `create`: Argo's examples name themselves by generateName.
    await kubectl(['create', '-n', NAMESPACE, '-f', join(ROOT, 'examples', 'dag-diamond.yaml'), '-f', join(ROOT, 'examples', 'hello-world.yaml')]);
    const { stdout } = await kubectl(['get', 'workflows.argoproj.io', '-n', NAMESPACE, '-o', 'json']);
    const workflows = (JSON.parse(stdout) as { items: { metadata: { name: string }; spec: { templates?: unknown[] } }[] }).items;
    expect(workflows.length).toBe(2);
    expect(workflows.every((workflow) => (workflow.spec.templates?.length ?? 0) > 0)).toBe(true);
    const name = workflows[0]!.metadata.name;
    // A status written with the object is dropped (the status subresource owns it).
    await kubectl(['patch', 'workflow', name, '-n', NAMESPACE, '--type=merge', '-p', '{"status":{"phase":"Running"}}']);
    const phase = await kubectl(['get', 'workflow', name, '-n', NAMESPACE, '-o', 'jsonpath={.status.phase}']);
    expect(phase.stdout).toBe('');
  });

  it('gives each service account what it needs and nothing more', async () => {
    // The worker: its pods and their logs, in its own namespace only.
    for (const verb of ['create', 'get', 'list', 'watch', 'patch', 'delete']) expect(await canI('regatta-worker', verb, 'pods')).toBe(true);
    expect(await canI('regatta-worker', 'get', 'pods/log')).toBe(true);
    expect(await canI('regatta-worker', 'create', 'pods', 'default')).toBe(false);
    // Secrets and ConfigMaps it reads (HTTP templates' headers, artifact stores' credentials), never writes.
    expect(await canI('regatta-worker', 'get', 'secrets')).toBe(true);
    expect(await canI('regatta-worker', 'create', 'secrets')).toBe(false);
    expect(await canI('regatta-worker', 'get', 'secrets', 'default')).toBe(false);
    // The pods' `wait` container (service account default): patch its pod, read nothing.
    expect(await canI('default', 'patch', 'pods')).toBe(true);
    expect(await canI('default', 'get', 'pods')).toBe(false);
    // The bridge: reads Workflow objects, writes their status, nothing else.
    for (const verb of ['get', 'list', 'watch']) expect(await canI('regatta-kube-bridge', verb, 'workflows.argoproj.io')).toBe(true);
    expect(await canI('regatta-kube-bridge', 'patch', 'workflows.argoproj.io/status')).toBe(true);
    expect(await canI('regatta-kube-bridge', 'patch', 'workflows.argoproj.io')).toBe(false);
    expect(await canI('regatta-kube-bridge', 'get', 'pods')).toBe(false);
    // The scheduler and the server never call the API.
    for (const account of ['regatta-scheduler', 'regatta-server']) {
      expect(await canI(account, 'get', 'pods')).toBe(false);
      expect(await canI(account, 'list', 'workflows.argoproj.io')).toBe(false);
    }
    // Argo's kinds join Kubernetes' user-facing roles (the aggregation controller adds them).
    await until('edit to aggregate workflows', async () => (await kubectl(['get', 'clusterrole', 'edit', '-o', 'json'])).stdout.includes('argoproj.io'), 30_000);
    const view = JSON.parse((await kubectl(['get', 'clusterrole', 'view', '-o', 'json'])).stdout) as { rules: { apiGroups?: string[]; verbs: string[] }[] };
    const argo = view.rules.filter((rule) => rule.apiGroups?.includes('argoproj.io'));
    expect(argo.length).toBeGreaterThan(0);
    expect(argo.flatMap((rule) => rule.verbs).sort()).toEqual(['get', 'list', 'watch']);
  });
});

describe("the Deployments' settings", () => {
  // Production's Secret is the operator's: a managed Redis's URL with credentials, as deploy/README.md says.
  const productionSecrets = { 'regatta-redis': { REDIS_URL: 'rediss://regatta:secret@redis.example.com:6380' } };

  it("are what regatta's config readers accept, in every overlay", () => {
    for (const name of OVERLAYS) {
      const manifests = overlay(name);
      for (const component of Object.values(COMPONENTS)) {
        const env = environmentOf(manifests, deployment(manifests, component), productionSecrets);
        expect(() => readConfig(env), `${name}/${component}`).not.toThrow();
        const config = readConfig(env);
        expect(config.redisUrl).toBe(name === 'quick-start' ? 'redis://redis:6379' : productionSecrets['regatta-redis'].REDIS_URL);
        expect(config.kubernetes.executorImage, `${name}: the pods run the workers' image`).toBe(deployment(manifests, COMPONENTS.worker).image);
      }
      expect(environmentOf(manifests, deployment(manifests, COMPONENTS.worker), productionSecrets).REGATTA_KUBE_NAMESPACE).toBe(NAMESPACE);
      const bridge = deployment(manifests, 'regatta-kube-bridge');
      expect(bridge.command).toEqual(['regatta-kube-bridge']);
      expect(readBridgeConfig(environmentOf(manifests, bridge, productionSecrets)).namespace).toBe(NAMESPACE);
    }
  });

  it('start the scheduler, worker and server from the quick-start args and environment', async () => {
    const manifests = overlay('quick-start');
    const prefix = uniquePrefix();
    const started: { child: import('node:child_process').ChildProcess; output: () => string }[] = [];
    try {
      for (const component of Object.values(COMPONENTS)) {
        const container = deployment(manifests, component);
        // The manifests' own flags, with a free loopback port for each port the test machine shares.
        const ports: Record<string, number> = {};
        const args = await Promise.all(
          container.args.map(async (arg, index) => {
            const flag = container.args[index - 1];
            if (flag === '--port' || flag === '--metrics-port') return String((ports[flag] = await freePort()));
            if (flag === '--address' || flag === '--metrics-address') return '127.0.0.1';
            return arg;
          }),
        );
        // Redis and the cluster as reached from here: the test's Redis and prefix, the plane's kubeconfig.
        const env = { ...environmentOf(manifests, container, {}), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', REGATTA_KUBECONFIG: plane.kubeconfigPath };
        const service = startService(args, prefix, env);
        started.push(service);
        const probes = ports['--port'] !== undefined ? ['/healthz', '/readyz'].map((path) => `http://127.0.0.1:${ports['--port']}${path}`) : [`http://127.0.0.1:${ports['--metrics-port']}/metrics`];
        for (const url of probes) {
          await until(`${component}'s probe ${url} (output: ${service.output().slice(-500)})`, async () => {
            if (service.child.exitCode !== null) throw new Error(`${component} exited: ${service.output()}`);
            return fetch(url).then((response) => response.ok, () => false);
          }, 30_000);
        }
      }
    } finally {
      for (const service of started.reverse()) await stopService(service.child);
      await removePrefix(prefix);
    }
  });
});

describe('deploy/Dockerfile (no Docker daemon here to build it)', () => {
  const dockerfile = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');

  it('links commands that the build produces, each an executable Node script', () => {
    const links = [...dockerfile.matchAll(/ln -s \/opt\/regatta\/(\S+) \/usr\/local\/bin\/(\S+)/g)].map(([, target, name]) => ({ target: target!, name: name! }));
    expect(links.map((link) => link.name).sort()).toEqual(['regatta', 'regatta-kube-bridge', 'regatta-launcher']);
    for (const { target } of links) {
      expect(statSync(join(ROOT, target)).isFile(), target).toBe(true);
      expect(readFileSync(join(ROOT, target), 'utf8').startsWith('#!/usr/bin/env node'), `${target} has a shebang`).toBe(true);
      expect(dockerfile, `${target} is made executable`).toMatch(new RegExp(`chmod 0755[^\\n]*${target.replace(/[.]/g, '\\.')}`));
    }
  });

  it('builds on Node 24 and runs as the uid the manifests name', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toContain('turbo@2 prune');
  });
});

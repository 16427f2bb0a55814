import { readFileSync } from 'node:fs';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { NodeJob } from '@regatta/spec';
import { describe, expect, it } from 'vitest';
import { NodeJobs } from '../../test-support/node-jobs.js';
import { LAUNCHER, SCRIPT_PATH } from './emissary.js';
import { buildPod, type PodOptions } from './pod.js';
import { PodBuildError } from './pod-build-error.js';

const options: PodOptions = { executorImage: 'regatta/regatta:1.0' };
const EXAMPLES = '/work/shared/argo-examples';

function example(file: string): string {
  return readFileSync(`${EXAMPLES}/${file}`, 'utf8');
}

/** A workflow whose entrypoint is one template with these fields (YAML lines, indented for a template). */
function single(template: string, spec = ''): string {
  return `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
${spec}
  templates:
  - name: main
${template}
`;
}

function podOf(yaml: string, displayName = 'wf', podOptions: PodOptions = options): V1Pod {
  return buildPod(new NodeJobs(yaml).job(displayName), podOptions);
}

function container(pod: V1Pod, name: string): V1Container {
  const found = pod.spec!.containers.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no container "${name}" in ${pod.spec!.containers.map((c) => c.name).join(', ')}`);
  return found;
}

function env(c: V1Container, name: string): string | undefined {
  return c.env?.find((variable) => variable.name === name)?.value;
}

const hello = single(`    container: {image: busybox, command: [echo], args: ["hello world"]}`);

describe('pod names, labels and annotations', () => {
  it('names the pod as Argo v2 does and labels and annotates it as Argo', () => {
    const run = new NodeJobs(example('pod-metadata.yaml'));
    const pod = buildPod(run.job('hello1'), options);
    // <workflow>-<template>-<fnv32a of the node name>, the name the engine uses for the node everywhere.
    expect(pod.metadata?.name).toBe(`wf-print-message-3140997319`);
    expect(pod.metadata?.namespace).toBe('argo');
    expect(pod.metadata?.labels).toEqual({
      'workflows.argoproj.io/workflow': 'wf',
      'workflows.argoproj.io/completed': 'false',
      app: 'print-message',
      tier: 'demo',
    });
    expect(pod.metadata?.annotations).toEqual({
      'workflows.argoproj.io/node-name': 'wf[0].hello1',
      'workflows.argoproj.io/node-id': run.job('hello1').nodeId,
      'kubectl.kubernetes.io/default-container': 'main',
      'iam.amazonaws.com/role': 'role-arn',
    });
  });

  it('names a workflow whose entrypoint is a pod after the workflow, and builds the same pod every time (a retried create adopts it)', () => {
    const run = new NodeJobs(hello);
    const first = buildPod(run.job('wf'), options);
    expect(first.metadata?.name).toBe('wf');
    expect(buildPod(run.job('wf'), options)).toEqual(first);
  });

  it('takes the workflow’s podMetadata, under the template’s metadata', () => {
    const pod = podOf(example('pod-metadata-wf-field.yaml').replace('    container:', '    metadata: {labels: {tier: own}}\n    container:'), 'hello1');
    expect(pod.metadata?.labels).toMatchObject({ app: 'print-message', tier: 'own', 'workflows.argoproj.io/workflow': 'wf' });
    expect(pod.metadata?.annotations).toMatchObject({ 'iam.amazonaws.com/role': 'role-arn' });
  });

  it('sets the owner reference the worker gives', () => {
    const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: 'wf', uid: 'uid-1', controller: true };
    const pod = podOf(hello, 'wf', { ...options, ownerReference: (job: NodeJob) => ({ ...owner, uid: job.workflow.uid }) });
    expect(pod.metadata?.ownerReferences).toEqual([owner]);
  });
});

describe('the emissary shape', () => {
  it('copies the launcher in regatta-init, runs main under it, and waits in a sidecar of Regatta’s image', () => {
    const pod = podOf(hello);
    expect(pod.spec?.restartPolicy).toBe('Never');
    expect(pod.spec?.initContainers?.map((c) => [c.name, c.image, c.command])).toEqual([['regatta-init', 'regatta/regatta:1.0', ['/usr/local/bin/regatta-launcher', 'install', LAUNCHER]]]);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['wait', 'main']);
    const main = container(pod, 'main');
    expect(main).toMatchObject({ image: 'busybox', command: [LAUNCHER, '--', 'echo', 'hello world'] });
    expect(main.args).toBeUndefined();
    for (const c of [...pod.spec!.initContainers!, ...pod.spec!.containers]) {
      expect(c.volumeMounts).toContainEqual({ name: 'regatta-run', mountPath: '/var/run/regatta' });
    }
    expect(pod.spec?.volumes).toContainEqual({ name: 'regatta-run', emptyDir: {} });
    const wait = container(pod, 'wait');
    expect(wait.image).toBe('regatta/regatta:1.0');
    expect(JSON.parse(env(wait, 'REGATTA_CONTAINERS')!)).toEqual(['main']);
    expect(wait.env).toContainEqual({ name: 'REGATTA_POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
  });

  it('hands a script’s source to the launcher, which writes it to the file that follows command and args', () => {
    const pod = podOf(example('scripts-python.yaml'), 'generate');
    const main = container(pod, 'main');
    expect(main.command).toEqual([LAUNCHER, '--', 'python', SCRIPT_PATH]);
    expect(env(main, 'REGATTA_SCRIPT')).toContain('import random');
  });

  it('runs a script without command by its #! line', () => {
    const pod = podOf(single(`    script: {image: alpine, source: "#!/bin/sh\\necho hi"}`));
    expect(container(pod, 'main').command).toEqual([LAUNCHER, '--', SCRIPT_PATH]);
  });

  it('refuses a container without command unless the worker knows the image’s entrypoint, then applies Docker’s rule', () => {
    const noCommand = single(`    container: {image: argoproj/argosay:v2, args: [echo, hi]}`);
    expect(() => podOf(noCommand)).toThrow(PodBuildError);
    expect(() => podOf(noCommand)).toThrow(/container "main" \(image "argoproj\/argosay:v2"\) has no command/);
    const imageCommands = { 'argoproj/argosay:v2': { entrypoint: ['/argosay'], cmd: ['echo'] } };
    expect(container(podOf(noCommand, 'wf', { ...options, imageCommands }), 'main').command).toEqual([LAUNCHER, '--', '/argosay', 'echo', 'hi']);
    const bare = single(`    container: {image: argoproj/argosay:v2}`);
    expect(container(podOf(bare, 'wf', { ...options, imageCommands }), 'main').command).toEqual([LAUNCHER, '--', '/argosay', 'echo']);
  });

  it('names the output parameters and artifacts for the main container’s launcher and the wait container', () => {
    const pod = podOf(example('output-parameter.yaml'), 'generate-parameter');
    const outputs = JSON.parse(env(container(pod, 'main'), 'REGATTA_OUTPUTS')!);
    expect(outputs.parameters).toEqual([{ name: 'hello-param', valueFrom: { default: 'Foobar', path: '/tmp/hello_world.txt' } }]);
    expect(env(container(pod, 'wait'), 'REGATTA_OUTPUTS')).toBe(env(container(pod, 'main'), 'REGATTA_OUTPUTS'));
  });

  it('has regatta-init place input artifacts, mounted at their paths in the main container', () => {
    const pod = podOf(single(`    inputs: {artifacts: [{name: code, path: /src/code.txt, raw: {data: hello}}]}
    container: {image: alpine, command: [cat, /src/code.txt]}`));
    const init = pod.spec!.initContainers![0]!;
    expect(JSON.parse(env(init, 'REGATTA_INPUT_ARTIFACTS')!)).toMatchObject([{ name: 'code', path: '/src/code.txt', raw: { data: 'hello' } }]);
    expect(init.volumeMounts).toContainEqual({ name: 'regatta-inputs', mountPath: '/var/run/regatta/inputs' });
    expect(container(pod, 'main').volumeMounts).toContainEqual({ name: 'regatta-inputs', mountPath: '/src/code.txt', subPath: 'code' });
    expect(pod.spec?.volumes).toContainEqual({ name: 'regatta-inputs', emptyDir: {} });
  });

  describe("Argo's artifact-passing.yaml, with the local store on the node", () => {
    const withStore: PodOptions = { ...options, artifactsHostPath: '/srv/regatta-artifacts' };
    const storeMount = { name: 'regatta-artifacts', mountPath: '/srv/regatta-artifacts' };
    const storeVolume = { name: 'regatta-artifacts', hostPath: { path: '/srv/regatta-artifacts', type: 'DirectoryOrCreate' } };
    const run = () => new NodeJobs(example('artifact-passing.yaml'));

    it('gives the producer\'s launcher and wait container the output artifact with its key, and wait the store', () => {
      const job = run().job('generate-artifact');
      const pod = buildPod(job, withStore);
      const outputs = JSON.parse(env(container(pod, 'main'), 'REGATTA_OUTPUTS')!);
      expect(outputs.artifacts).toEqual([{ name: 'hello-art', path: '/tmp/hello_world.txt', key: job.outputArtifacts![0]!.key }]);
      expect(job.outputArtifacts![0]!.key).toMatch(/^argo\/uid-1\/wf-hello-world-to-file-\d+\/hello-art\.tgz$/);
      const wait = container(pod, 'wait');
      expect(env(wait, 'REGATTA_OUTPUTS')).toBe(env(container(pod, 'main'), 'REGATTA_OUTPUTS'));
      expect(env(wait, 'REGATTA_ARTIFACTS_DIR')).toBe('/srv/regatta-artifacts');
      expect(env(wait, 'REGATTA_WORKFLOW_NAMESPACE')).toBe('argo');
      expect(wait.env).toContainEqual({ name: 'REGATTA_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
      expect(wait.volumeMounts).toContainEqual(storeMount);
      expect(pod.spec?.volumes).toContainEqual(storeVolume);
      // Nothing to place: regatta-init only copies the launcher, and no user container sees the store.
      const init = pod.spec!.initContainers![0]!;
      expect(env(init, 'REGATTA_INPUT_ARTIFACTS')).toBeUndefined();
      expect(init.volumeMounts).toEqual([{ name: 'regatta-run', mountPath: '/var/run/regatta' }]);
      expect(container(pod, 'main').volumeMounts).not.toContainEqual(storeMount);
    });

    it("has the consumer's regatta-init load the input by its key into the inputs folder, mounted at its path by subPath", () => {
      const jobs = run();
      const produced = jobs.job('generate-artifact').outputArtifacts![0]!;
      const job = jobs.finish('generate-artifact', 'Succeeded', undefined, { artifacts: [{ name: 'hello-art', path: '/tmp/hello_world.txt', key: produced.key }] }).job('consume-artifact');
      const pod = buildPod(job, withStore);
      const init = pod.spec!.initContainers![0]!;
      expect(JSON.parse(env(init, 'REGATTA_INPUT_ARTIFACTS')!)).toMatchObject([{ name: 'message', path: '/tmp/message', key: produced.key }]);
      expect(env(init, 'REGATTA_ARTIFACTS_DIR')).toBe('/srv/regatta-artifacts');
      expect(init.volumeMounts).toEqual([{ name: 'regatta-run', mountPath: '/var/run/regatta' }, { name: 'regatta-inputs', mountPath: '/var/run/regatta/inputs' }, storeMount]);
      expect(container(pod, 'main').volumeMounts).toContainEqual({ name: 'regatta-inputs', mountPath: '/tmp/message', subPath: 'message' });
      expect(pod.spec?.volumes).toEqual(expect.arrayContaining([{ name: 'regatta-inputs', emptyDir: {} }, storeVolume]));
      // No outputs: the wait container does not mount the store.
      expect(container(pod, 'wait').volumeMounts).not.toContainEqual(storeMount);
    });

    it('mounts no store where the worker gives pods none, nor for raw artifacts only', () => {
      const job = run().job('generate-artifact');
      const pod = buildPod(job, options);
      expect(env(container(pod, 'wait'), 'REGATTA_ARTIFACTS_DIR')).toBeUndefined();
      expect(pod.spec?.volumes?.map((volume) => volume.name)).toEqual(['regatta-run']);
      const raw = podOf(single(`    inputs: {artifacts: [{name: code, path: /src/code.txt, raw: {data: hello}}]}
    container: {image: alpine, command: [cat, /src/code.txt]}`), 'wf', withStore);
      expect(raw.spec?.volumes?.map((volume) => volume.name)).toEqual(['regatta-run', 'regatta-inputs']);
      expect(env(raw.spec!.initContainers![0]!, 'REGATTA_ARTIFACTS_DIR')).toBeUndefined();
    });
  });
});

describe('containers', () => {
  it('runs a containerSet as one container per member, each under the launcher, waiting for its dependencies', () => {
    const pod = podOf(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
    containerSet:
      retryStrategy: {retries: "2", duration: 5s}
      volumeMounts: [{name: workspace, mountPath: /workspace}]
      containers:
      - {name: a, image: alpine, command: [sh, -c, "echo a"]}
      - {name: main, image: alpine, command: [cat, /workspace/a], dependencies: [a]}
  volumes: [{name: workspace, emptyDir: {}}]
`);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['wait', 'a', 'main']);
    expect(JSON.parse(env(container(pod, 'wait'), 'REGATTA_CONTAINERS')!)).toEqual(['a', 'main']);
    const main = container(pod, 'main');
    expect(main.command).toEqual([LAUNCHER, '--', 'cat', '/workspace/a']);
    expect(JSON.parse(env(main, 'REGATTA_DEPENDENCIES')!)).toEqual(['a']);
    expect([env(main, 'REGATTA_RETRIES'), env(main, 'REGATTA_RETRY_DELAY_MS')]).toEqual(['2', '5000']);
    expect(env(main, 'REGATTA_OUTPUTS')).toBeDefined();
    expect(env(container(pod, 'a'), 'REGATTA_OUTPUTS')).toBeUndefined();
    expect(container(pod, 'a').volumeMounts).toContainEqual({ name: 'workspace', mountPath: '/workspace' });
    expect(JSON.stringify(pod)).not.toContain('dependencies');
    expect(pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container']).toBe('main');
  });

  it('runs the template’s init containers after regatta-init, as written, with mirrored volume mounts', () => {
    const pod = podOf(example('init-container.yaml'));
    expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual(['regatta-init', 'hello']);
    const hello = pod.spec!.initContainers![1]!;
    expect(hello.command).toEqual(['echo', 'hello']);
    expect(hello.volumeMounts).toEqual([{ name: 'foo', mountPath: '/foo' }, { name: 'regatta-run', mountPath: '/var/run/regatta' }]);
    expect(hello).not.toHaveProperty('mirrorVolumeMounts');
  });

  it('adds sidecars after the main container, under the launcher so that they can be stopped', () => {
    const pod = podOf(example('sidecar-nginx.yaml'));
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['wait', 'main', 'nginx']);
    expect(container(pod, 'nginx').command?.slice(0, 2)).toEqual([LAUNCHER, '--']);
    expect(JSON.parse(env(container(pod, 'wait'), 'REGATTA_CONTAINERS')!)).toEqual(['main']);
  });

  it('builds a daemon’s pod like any other (the worker reports it started once it runs)', () => {
    const run = new NodeJobs(example('daemon-nginx.yaml'));
    const job = run.job('nginx-server');
    expect(job.daemon).toBe(true);
    const imageCommands = { 'nginx:1.13': { entrypoint: [], cmd: ['nginx', '-g', 'daemon off;'] } };
    const pod = buildPod(job, { ...options, imageCommands });
    expect(container(pod, 'main').command).toEqual([LAUNCHER, '--', 'nginx', '-g', 'daemon off;']);
    expect(pod.spec?.restartPolicy).toBe('Never');
  });

  it('passes env from secretKeyRef, configMapKeyRef and fieldRef through as written', () => {
    const pod = podOf(single(`    container:
      image: alpine
      command: [env]
      env:
      - {name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}
      - {name: B, valueFrom: {configMapKeyRef: {name: c, key: k, optional: true}}}
      - {name: C, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
      resources: {requests: {cpu: 100m}}`));
    const main = container(pod, 'main');
    expect(main.env?.slice(0, 3)).toEqual([
      { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'c', key: 'k', optional: true } } },
      { name: 'C', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ]);
    expect(main.resources).toEqual({ requests: { cpu: '100m' } });
  });

  it('passes envFrom (prefix, optional) through as written, for Kubernetes to resolve', () => {
    const pod = podOf(single(`    container:
      image: alpine
      command: [env]
      envFrom:
      - {secretRef: {name: db}, prefix: DB_}
      - {configMapRef: {name: settings, optional: true}}`));
    expect(container(pod, 'main').envFrom).toEqual([{ secretRef: { name: 'db' }, prefix: 'DB_' }, { configMapRef: { name: 'settings', optional: true } }]);
  });

  it('refuses a container named like one of Regatta’s', () => {
    const yaml = single(`    sidecars: [{name: wait, image: alpine, command: [sleep, "1"]}]
    container: {image: alpine, command: ["true"]}`);
    expect(() => podOf(yaml)).toThrow('container name "wait" is used twice in the pod (regatta-init and wait are Regatta\'s own)');
  });

  it('refuses an HTTP template: the worker runs it, not a pod', () => {
    const run = new NodeJobs(single(`    http: {url: "http://127.0.0.1:1/"}`));
    expect(() => buildPod(run.job('wf'), options)).toThrow(/an HTTP template runs in the worker/);
  });
});

describe('volumes', () => {
  it('defines emptyDir, existing claims, hostPath and the workflow’s own claims by Argo’s name', () => {
    const pod = podOf(single(`    container:
      image: alpine
      command: [ls]
      volumeMounts:
      - {name: scratch, mountPath: /scratch}
      - {name: shm, mountPath: /dev/shm}
      - {name: existing, mountPath: /existing}
      - {name: host, mountPath: /host}
      - {name: workdir, mountPath: /work}`, `  volumes:
  - {name: scratch, emptyDir: {}}
  - {name: shm, emptyDir: {medium: Memory, sizeLimit: 1Gi}}
  - {name: existing, persistentVolumeClaim: {claimName: my-claim, readOnly: true}}
  - {name: host, hostPath: {path: /data, type: Directory}}
  volumeClaimTemplates:
  - metadata: {name: workdir}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`));
    expect(pod.spec?.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
      { name: 'existing', persistentVolumeClaim: { claimName: 'my-claim', readOnly: true } },
      { name: 'host', hostPath: { path: '/data', type: 'Directory' } },
      { name: 'workdir', persistentVolumeClaim: { claimName: 'wf-workdir' } },
      { name: 'regatta-run', emptyDir: {} },
    ]);
  });

  it('defines secret and configMap volumes as written (Argo’s secrets example)', () => {
    const pod = podOf(example('secrets.yaml').replace('      secretName: my-secret', '      secretName: my-secret\n      defaultMode: 256'));
    expect(pod.spec?.volumes).toContainEqual({ name: 'my-secret-vol', secret: { secretName: 'my-secret', defaultMode: 256 } });
    const configMap = podOf(single(`    container: {image: alpine, command: [ls], volumeMounts: [{name: conf, mountPath: /conf}]}`, `  volumes: [{name: conf, configMap: {name: settings, items: [{key: a, path: a.txt}]}}]`));
    expect(configMap.spec?.volumes).toContainEqual({ name: 'conf', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.txt' }] } });
  });
});

describe('pod-level settings', () => {
  it('takes nodeSelector from the template (substituted), tolerations and affinity from the workflow', () => {
    const yaml = example('node-selector.yaml').replace(
      'spec:\n',
      'spec:\n  nodeSelector: {disk: ssd}\n  tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]\n  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]}}}\n',
    );
    const pod = podOf(yaml);
    expect(pod.spec?.nodeSelector).toEqual({ 'beta.kubernetes.io/arch': 'amd64' });
    expect(pod.spec?.tolerations).toEqual([{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
    ]);
  });

  it('takes scheduling fields from the steps template a pod runs in before the workflow’s', () => {
    const pod = podOf(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  nodeSelector: {pool: default}
  templates:
  - name: main
    nodeSelector: {pool: batch}
    steps: [[{name: one, template: leaf}]]
  - name: leaf
    tolerations: [{key: batch, operator: Exists}]
    container: {image: alpine, command: ["true"]}
`, 'one');
    expect(pod.spec?.nodeSelector).toEqual({ pool: 'batch' });
    expect(pod.spec?.tolerations).toEqual([{ key: 'batch', operator: 'Exists' }]);
  });

  it('sets the service account, token, security context, priority class, scheduler, pull secrets and pod resources, the template’s first', () => {
    const pod = podOf(
      single(`    serviceAccountName: runner
    securityContext: {runAsUser: 1000, runAsNonRoot: true}
    priorityClassName: high
    hostAliases: [{ip: 10.0.0.2, hostnames: [b.local]}]
    podResources: {limits: {cpu: "2"}}
    container: {image: alpine, command: ["true"]}`, `  serviceAccountName: default-runner
  automountServiceAccountToken: false
  securityContext: {runAsUser: 1}
  podPriorityClassName: low
  schedulerName: volcano
  hostAliases: [{ip: 10.0.0.1, hostnames: [a.local]}]
  imagePullSecrets: [{name: registry}]`),
    );
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'runner',
      automountServiceAccountToken: false,
      securityContext: { runAsUser: 1000, runAsNonRoot: true },
      priorityClassName: 'high',
      schedulerName: 'volcano',
      hostAliases: [
        { ip: '10.0.0.1', hostnames: ['a.local'] },
        { ip: '10.0.0.2', hostnames: ['b.local'] },
      ],
      imagePullSecrets: [{ name: 'registry' }],
      resources: { limits: { cpu: '2' } },
    });
  });

  it('sets the workflow’s imagePullSecrets (Argo’s example) and leaves unset fields out', () => {
    const pod = podOf(example('image-pull-secrets.yaml'));
    expect(pod.spec?.imagePullSecrets).toEqual([{ name: 'docker-registry-secret' }]);
    for (const field of ['nodeSelector', 'tolerations', 'affinity', 'serviceAccountName', 'automountServiceAccountToken', 'securityContext', 'hostAliases']) {
      expect(pod.spec).not.toHaveProperty(field);
    }
  });

  it('gives the pod the node’s deadline', () => {
    const pod = podOf(single(`    activeDeadlineSeconds: 30
    container: {image: alpine, command: [sleep, "60"]}`));
    expect(pod.spec?.activeDeadlineSeconds).toBe(30);
  });
});

describe('podSpecPatch', () => {
  it('merges a template’s JSON patch into the main container by name (Argo’s example, substituted)', () => {
    const pod = podOf(example('pod-spec-patch.yaml'));
    const main = container(pod, 'main');
    expect(main.resources).toEqual({ limits: { cpu: '100m' } });
    expect(main.command).toEqual([LAUNCHER, '--', 'echo', 'hello world']);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['wait', 'main']);
  });

  it('applies the workflow’s YAML patch, then the template’s', () => {
    expect(container(podOf(example('pod-spec-yaml-patch.yaml')), 'main').resources).toEqual({ limits: { memory: '100Mi' } });
    expect(container(podOf(example('pod-spec-patch-wf-tmpl.yaml')), 'main').resources).toEqual({ limits: { memory: '100Mi', cpu: '100m' } });
  });

  it('puts the launcher in front of a command the patch set, and lets it add a container or drop a pod field', () => {
    const pod = podOf(
      single(`    activeDeadlineSeconds: 30
    podSpecPatch: |
      activeDeadlineSeconds: null
      containers:
      - {name: main, command: [sh, -c, "echo patched"]}
      - {name: extra, image: alpine, command: [sleep, "1"]}
    container: {image: alpine, command: [echo, original]}`),
    );
    expect(container(pod, 'main').command).toEqual([LAUNCHER, '--', 'sh', '-c', 'echo patched']);
    expect(container(pod, 'extra').command).toEqual([LAUNCHER, '--', 'sleep', '1']);
    expect(pod.spec).not.toHaveProperty('activeDeadlineSeconds');
  });

  it('names the patch that is not a mapping', () => {
    expect(() => podOf(single(`    podSpecPatch: "- a"\n    container: {image: alpine, command: ["true"]}`))).toThrow('podSpecPatch 1: not a mapping of pod spec fields');
  });
});

describe('retryStrategy.affinity.nodeAntiAffinity', () => {
  const retried = single(`    retryStrategy: {limit: 3, affinity: {nodeAntiAffinity: {}}}
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]
    container: {image: alpine, command: ["false"]}`);

  it('keeps a retry off the hosts where earlier attempts failed', () => {
    const run = new NodeJobs(retried);
    expect(buildPod(run.job('wf(0)'), options).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
    ]);
    run.finish('wf(0)', 'Failed', 'node-a');
    run.finish('wf(1)', 'Failed', 'node-b');
    const pod = buildPod(run.job('wf(2)'), { ...options, hostLabel: 'example.com/host' });
    expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      {
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a'] },
          { key: 'example.com/host', operator: 'NotIn', values: ['node-a', 'node-b'] },
        ],
      },
    ]);
  });

  it('keeps the pods of a retried steps template off the hosts where the earlier attempts’ pods failed', () => {
    const run = new NodeJobs(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 2, affinity: {nodeAntiAffinity: {}}}
    steps: [[{name: leaf, template: leaf}]]
  - name: leaf
    container: {image: alpine, command: ["false"]}
`);
    run.finish('leaf', 'Failed', 'node-a');
    const pod = buildPod(run.job('leaf'), options);
    expect(pod.metadata?.annotations?.['workflows.argoproj.io/node-name']).toBe('wf(1)[0].leaf');
    expect(pod.spec?.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['node-a'] }] }] } },
    });
  });

  it('adds nothing without nodeAntiAffinity', () => {
    const run = new NodeJobs(retried.replace(', affinity: {nodeAntiAffinity: {}}', ''));
    run.finish('wf(0)', 'Failed', 'node-a');
    // Each attempt is a pod of its own: its node's name differs.
    expect(buildPod(run.job('wf(1)'), options).metadata?.name).toBe('wf-main-805126870');
    expect(JSON.stringify(buildPod(run.job('wf(1)'), options).spec?.affinity)).not.toContain('node-a');
  });
});

// Volumes, init containers and paths anywhere, end to end through `regatta run`: each node has a root of
// its own (the host's / under a writable layer), so the Argo YAML that writes to /mnt/vol, /result.txt or
// /work runs unchanged, and nothing of it lands on the host.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runYaml, nodeByDisplayName } from './support/run-yaml.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-volumes-test-'));
const volumesDir = join(dir, 'volumes');
const marker = `regatta-volumes-test-${prefix.replace(/[^a-z0-9]/gi, '')}`;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const run = (name: string, yaml: string) => runYaml(dir, name, yaml, prefix, { REGATTA_VOLUMES_DIR: volumesDir, REGATTA_ARTIFACTS_DIR: join(dir, 'artifacts') });
const node = nodeByDisplayName;

describe('volumes in regatta run', () => {
  it("pass files between steps through the workflow's own claim, removed when the workflow ends", async () => {
    const { code, workflow } = await run(
      'claim',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: claim-}
spec:
  entrypoint: main
  volumeClaimTemplates:
  - metadata: {name: workdir}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
  templates:
  - name: main
    steps:
    - - {name: generate, template: write}
    - - {name: print, template: read}
  - name: write
    container:
      image: busybox
      command: [sh, -c, "echo hello world | tee /mnt/vol/hello_world.txt"]
      volumeMounts: [{name: workdir, mountPath: /mnt/vol}]
  - name: read
    container:
      image: alpine
      command: [sh, -c, "cat /mnt/vol/hello_world.txt"]
      volumeMounts: [{name: workdir, mountPath: /mnt/vol}]
`,
    );
    expect(code).toBe(0);
    expect(node(workflow, 'print').outputs?.result).toBe('hello world');
    expect(existsSync('/mnt/vol/hello_world.txt')).toBe(false);
    // The scheduler deletes the claim once it has stored the end; `run` may return a moment before.
    const claim = join(volumesDir, 'workflows', workflow.metadata.uid!);
    for (let tries = 0; existsSync(claim) && tries < 50; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(claim)).toBe(false);
  });

  it('keep an existing claim across workflows, and mount it read-only where asked', async () => {
    const yaml = (name: string, command: string, readOnly = false) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: ${name}-}
spec:
  entrypoint: main
  volumes:
  - {name: workdir, persistentVolumeClaim: {claimName: ${marker}}}
  templates:
  - name: main
    container:
      image: alpine
      command: [sh, -c, "${command}"]
      volumeMounts: [{name: workdir, mountPath: /mnt/vol, readOnly: ${readOnly}}]
`;
    expect((await run('first', yaml('first', 'echo first >> /mnt/vol/log'))).code).toBe(0);
    const second = await run('second', yaml('second', 'echo second >> /mnt/vol/log && cat /mnt/vol/log'));
    expect(node(second.workflow, second.workflow.metadata.name!).outputs?.result).toBe('first\nsecond');
    expect(readFileSync(join(volumesDir, 'claims', 'default', marker, 'log'), 'utf8')).toBe('first\nsecond\n');
    const readOnly = await run('read-only', yaml('read-only', 'echo third >> /mnt/vol/log', true));
    expect(readOnly.code).not.toBe(0);
    expect(node(readOnly.workflow, readOnly.workflow.metadata.name!)).toMatchObject({ phase: 'Failed', message: 'Error (exit code 2)' });
  });

  it("share an emptyDir between a pod's init container and main container, and with no other pod", async () => {
    const { code, workflow } = await run(
      'init',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: init-}
spec:
  entrypoint: main
  volumes: [{name: scratch, emptyDir: {}}]
  templates:
  - name: main
    steps:
    - - {name: first, template: pod}
    - - {name: second, template: pod}
  - name: pod
    initContainers:
    - name: hello
      image: alpine
      command: [sh, -c, "n=$(ls /foo | wc -l) && echo $n > /foo/before && echo hello > /foo/greeting"]
      volumeMounts: [{name: scratch, mountPath: /foo}]
    container:
      image: alpine
      command: [sh, -c, "cat /foo/before /foo/greeting"]
      volumeMounts: [{name: scratch, mountPath: /foo}]
`,
    );
    expect(code).toBe(0);
    expect(node(workflow, 'first').outputs?.result).toBe('0\nhello');
    expect(node(workflow, 'second').outputs?.result).toBe('0\nhello');
  });

  it('fail a pod whose init container fails, without running its main container', async () => {
    const { code, workflow } = await run(
      'init-fails',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: init-fails-}
spec:
  entrypoint: main
  templates:
  - name: main
    initContainers: [{name: check, image: alpine, command: [sh, -c, "exit 3"]}]
    container: {image: alpine, command: [echo, ran]}
`,
    );
    expect(code).not.toBe(0);
    expect(node(workflow, workflow.metadata.name!)).toMatchObject({ phase: 'Failed', message: 'init container "check": Error (exit code 3)' });
    expect(node(workflow, workflow.metadata.name!).outputs?.result).toBeUndefined();
  });
});

describe('paths anywhere in a node', () => {
  it('take artifacts and parameters to and from any path, relative ones from /, none of it on the host', async () => {
    const { code, workflow } = await run(
      'anywhere',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: anywhere-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    - - name: use
        template: use
        arguments: {artifacts: [{name: text, from: "{{steps.make.outputs.artifacts.result}}"}]}
  - name: make
    script:
      image: python:alpine3.23
      command: [python]
      source: |
        with open("${marker}.txt", "w") as f:
            f.write("Welcome")
    outputs:
      artifacts: [{name: result, path: /${marker}.txt}]
  - name: use
    inputs:
      artifacts: [{name: text, path: /inputs/${marker}/data}]
    container:
      image: alpine
      command: [sh, -c, "mkdir -p /work && cat /inputs/${marker}/data > /work/${marker} && cat /work/${marker}"]
    outputs:
      parameters: [{name: copy, valueFrom: {path: /work/${marker}}}]
`,
    );
    expect(code).toBe(0);
    expect(node(workflow, 'use').outputs).toMatchObject({ result: 'Welcome', parameters: [{ name: 'copy', value: 'Welcome' }] });
    expect(existsSync(`/${marker}.txt`) || existsSync(`/inputs/${marker}`) || existsSync(`/work/${marker}`)).toBe(false);
  });
});

describe('the volumes folder', () => {
  it('holds nothing but the claims', () => {
    expect(readdirSync(volumesDir).sort()).toEqual(['claims', 'workflows']);
  });
});

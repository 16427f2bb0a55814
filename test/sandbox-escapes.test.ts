// What one workflow must not reach of another's, or of the host, end to end through `regatta run`:
// artifacts are kept per namespace and workflow uid, and a key is read only within the workflow's own
// namespace; hostPath volumes need the operator's leave.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeByDisplayName, runYaml } from './support/run-yaml.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-escapes-test-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});
const env = { REGATTA_ARTIFACTS_DIR: join(dir, 'artifacts'), REGATTA_VOLUMES_DIR: join(dir, 'volumes') };
const run = (name: string, yaml: string, { namespace = 'default', extraEnv = {} }: { namespace?: string; extraEnv?: Record<string, string> } = {}) =>
  runYaml(dir, name, yaml, prefix, { ...env, ...extraEnv }, ['-n', namespace]);

/** A workflow whose one pod reads an input artifact, located as `input` says, to its stdout. */
const reader = (input: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: reader-}
spec:
  entrypoint: main
  templates:
  - name: main
    inputs:
      artifacts: [{name: data, path: /tmp/data, ${input}}]
    container: {image: busybox, command: [cat, /tmp/data]}
`;

describe('artifact keys', () => {
  it("are the workflow's namespace and uid; a bare key reads within its own namespace only", async () => {
    const { workflow: writer } = await run(
      'writer',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: writer-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "echo team-b secret > /tmp/secret"]}
    outputs:
      artifacts: [{name: secret, path: /tmp/secret, archive: {none: {}}}]
`,
      { namespace: 'team-b' },
    );
    const key = nodeByDisplayName(writer, writer.metadata.name!).outputs?.artifacts?.[0]?.key;
    expect(key).toMatch(new RegExp(`^team-b/${writer.metadata.uid}/writer-[a-z0-9]+/secret$`));
    const withinNamespace = key!.slice('team-b/'.length);

    const own = await run('own', reader(`key: ${withinNamespace}, archive: {none: {}}`), { namespace: 'team-b' });
    expect(nodeByDisplayName(own.workflow, own.workflow.metadata.name!).outputs?.result).toBe('team-b secret');

    const climbing = await run('climbing', reader(`key: ../${key}, archive: {none: {}}`), { namespace: 'team-a' });
    expect(nodeByDisplayName(climbing.workflow, climbing.workflow.metadata.name!)).toMatchObject({
      phase: 'Error',
      message: `inputs.artifacts.data: key "../${key}" must be a path inside the namespace's artifacts, without ".."`,
    });
    const other = await run('other', reader(`key: ${withinNamespace}, archive: {none: {}}`), { namespace: 'team-a' });
    expect(nodeByDisplayName(other.workflow, other.workflow.metadata.name!)).toMatchObject({
      phase: 'Error',
      message: `failed to load input artifact "data": key team-a/${withinNamespace} is not in the artifact repository`,
    });
    // An artifact's JSON written by hand where a reference to a step's output would go.
    const forged = await run('forged', reader(`from: '{"key": "${key}", "archive": {"none": {}}}'`), { namespace: 'team-a' });
    expect(nodeByDisplayName(forged.workflow, forged.workflow.metadata.name!)).toMatchObject({
      phase: 'Error',
      message: `failed to load input artifact "data": key ${key} is not in namespace "team-a"'s artifacts`,
    });
    // A data template lists the keys of its own namespace only, as bare keys name them.
    const lister = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: lister-}
spec:
  entrypoint: main
  templates:
  - name: main
    data:
      source: {artifactPaths: {name: all, s3: {key: ""}}}
      transformation: [{expression: data}]
`;
    for (const [namespace, listed] of [['team-a', []], ['team-b', [withinNamespace]]] as const) {
      const { workflow } = await run(`lister-${namespace}`, lister, { namespace });
      expect(JSON.parse(nodeByDisplayName(workflow, workflow.metadata.name!).outputs?.result ?? 'null')).toEqual(listed);
    }
  });
});

describe('hostPath volumes', () => {
  const yaml = (path: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: host-path-}
spec:
  entrypoint: main
  volumes: [{name: host, hostPath: {path: ${path}}}]
  templates:
  - name: main
    container:
      image: busybox
      command: [sh, -c, "echo written > /mnt/host/file"]
      volumeMounts: [{name: host, mountPath: /mnt/host}]
`;

  it('are refused unless the operator allows their folder (REGATTA_HOSTPATH_ALLOW)', async () => {
    const folder = mkdtempSync(join(dir, 'host-'));
    const refused = await run('refused', yaml(folder));
    expect(nodeByDisplayName(refused.workflow, refused.workflow.metadata.name!)).toMatchObject({
      phase: 'Error',
      message: `volume "host" at /mnt/host: hostPath "${folder}" is refused: hostPath volumes are off on this worker (the operator allows folders for them with REGATTA_HOSTPATH_ALLOW)`,
    });
    const allowed = await run('allowed', yaml(folder), { extraEnv: { REGATTA_HOSTPATH_ALLOW: dir } });
    expect(allowed.code).toBe(0);
  });
});

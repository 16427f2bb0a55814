// Artifacts end to end: `regatta run` saves output artifacts into a local repository folder and places
// them, and raw ones, in later nodes' /tmp.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runYaml, nodeByDisplayName } from './support/run-yaml.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-artifacts-test-'));
const artifactsDir = join(dir, 'repository');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const run = (name: string, yaml: string) => runYaml(dir, name, yaml, prefix, { REGATTA_ARTIFACTS_DIR: artifactsDir });
const node = nodeByDisplayName;

const PASSING = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifacts-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    - - name: use
        template: use
        arguments:
          artifacts:
          - {name: message, from: "{{steps.make.outputs.artifacts.message}}"}
          - {name: tree, from: "{{steps.make.outputs.artifacts.tree}}"}
  - name: make
    container:
      image: busybox
      command: [sh, -c, "echo hello artifact > /tmp/message.txt && mkdir -p /tmp/tree/sub && echo leaf > /tmp/tree/sub/leaf"]
    outputs:
      artifacts:
      - {name: message, path: /tmp/message.txt, globalName: greeting}
      - {name: tree, path: /tmp/tree, archive: {none: {}}}
  - name: use
    inputs:
      artifacts:
      - {name: message, path: /tmp/in/message}
      - {name: tree, path: /tmp/in/tree}
      - {name: note, path: /tmp/note, raw: {data: "a raw note"}}
    container:
      image: busybox
      command: [sh, -c, "cat {{inputs.artifacts.message.path}} /tmp/in/tree/sub/leaf /tmp/note"]
`;

describe('artifacts in regatta run', () => {
  it('pass a file and a directory from one step to the next, beside a raw input', async () => {
    const { code, workflow } = await run('passing', PASSING);
    expect(code).toBe(0);
    const { name, namespace, uid } = workflow.metadata;
    const make = node(workflow, 'make');
    const artifacts = make.outputs?.artifacts ?? [];
    expect(artifacts.map((a) => a.name)).toEqual(['message', 'tree']);
    // Scoped by namespace and workflow uid (the repository is every tenant's), then Argo's pod name.
    expect(artifacts[0]!.key).toMatch(new RegExp(`^${namespace}/${uid}/${name}-make-\\d+/message\\.tgz$`));
    expect(artifacts[1]!.key).toMatch(new RegExp(`^${namespace}/${uid}/${name}-make-\\d+/tree$`));
    for (const { key } of artifacts) expect(existsSync(join(artifactsDir, key!))).toBe(true);
    const use = node(workflow, 'use');
    expect(use.outputs?.result).toBe('hello artifact\nleaf\na raw note');
    expect(use.inputs?.artifacts?.map((a) => a.name)).toEqual(['message', 'tree', 'note']);
    expect(workflow.status?.outputs?.artifacts).toEqual([{ ...artifacts[0], name: 'greeting' }]);
  });

  it('fail a node whose output artifact was not written, in Argo words', async () => {
    const { code, workflow } = await run(
      'missing',
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifacts-missing-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: ["true"]}
    outputs:
      artifacts: [{name: nothing, path: /tmp/nothing}]
`,
    );
    expect(code).not.toBe(0);
    expect(workflow.status).toMatchObject({ phase: 'Error', message: 'failed to save outputs: path /tmp/nothing does not exist' });
  });
});

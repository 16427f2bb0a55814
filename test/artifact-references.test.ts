// Artifact references end to end: an argument's `subPath` into an unarchived artifact, and a steps
// template's output artifact chosen by `fromExpression` (Argo's conditional artifacts), through
// `regatta run` and the local repository folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runYaml, nodeByDisplayName } from './support/run-yaml.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-artifact-references-test-'));
const artifactsDir = join(dir, 'repository');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const run = (name: string, yaml: string) => runYaml(dir, name, yaml, prefix, { REGATTA_ARTIFACTS_DIR: artifactsDir });
const node = nodeByDisplayName;

const workflow = (subPath: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifact-references-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
      - {name: pick, template: pick}
    - - name: part
        template: show
        arguments: {artifacts: [{name: in, from: "{{steps.make.outputs.artifacts.tree}}", subPath: "${subPath}"}]}
      - name: picked
        template: show
        arguments: {artifacts: [{name: in, from: "{{steps.pick.outputs.artifacts.result}}"}]}
  - name: make
    container: {image: busybox, command: [sh, -c, "mkdir -p /tmp/tree/sub && echo leaf > /tmp/tree/sub/leaf && echo top > /tmp/tree/top"]}
    outputs: {artifacts: [{name: tree, path: /tmp/tree, archive: {none: {}}}]}
  - name: pick
    steps:
    - - {name: flip-coin, template: flip}
    - - {name: heads, template: side, when: "{{steps.flip-coin.outputs.result}} == heads", arguments: {parameters: [{name: side, value: heads}]}}
      - {name: tails, template: side, when: "{{steps.flip-coin.outputs.result}} == tails", arguments: {parameters: [{name: side, value: tails}]}}
    outputs:
      artifacts:
      - name: result
        fromExpression: "steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.artifacts.result : steps.tails.outputs.artifacts.result"
  - name: flip
    container: {image: busybox, command: [echo, tails]}
  - name: side
    inputs: {parameters: [{name: side}]}
    container: {image: busybox, command: [sh, -c, "echo it was {{inputs.parameters.side}} > /tmp/result.txt"]}
    outputs: {artifacts: [{name: result, path: /tmp/result.txt}]}
  - name: show
    inputs: {artifacts: [{name: in, path: /tmp/in}]}
    container: {image: busybox, command: [cat, /tmp/in]}
`;

describe('artifact references in regatta run', () => {
  it('pass a file inside an unarchived artifact by subPath, and the artifact a fromExpression picked', async () => {
    const { code, workflow: done } = await run('references', workflow('sub/leaf'));
    expect(code).toBe(0);
    const tree = node(done, 'make').outputs?.artifacts?.[0];
    expect(node(done, 'part').inputs?.artifacts?.[0]?.key).toBe(`${tree?.key}/sub/leaf`);
    expect(node(done, 'part').outputs?.result).toBe('leaf');
    expect(node(done, 'heads').phase).toBe('Skipped');
    expect(node(done, 'pick').outputs?.artifacts?.[0]?.key).toBe(node(done, 'tails').outputs?.artifacts?.[0]?.key);
    expect(node(done, 'picked').outputs?.result).toBe('it was tails');
  });

  it('fail the node that takes a sub path the artifact does not hold, naming both', async () => {
    const { code, workflow: done } = await run('missing-subpath', workflow('sub/nope'));
    expect(code).not.toBe(0);
    const tree = node(done, 'make').outputs?.artifacts?.[0];
    expect(node(done, 'part')).toMatchObject({
      phase: 'Error',
      message: `failed to load input artifact "in": key ${tree?.key}/sub/nope is not in the artifact repository: folder ${tree?.key}/sub holds no nope`,
    });
  });
});

// Data templates through `regatta run`: the files an earlier node saved as artifacts, listed from the
// local artifact repository and transformed by expressions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-data-'));
const artifacts = mkdtempSync(join(tmpdir(), 'regatta-data-artifacts-'));
afterAll(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  await removePrefix(prefix);
});

describe('data templates', () => {
  it('lists the artifacts under a key and passes the list through its transformations', async () => {
    const file = join(dir, 'data.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: data-demo}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: logs, template: logs}
    - - {name: list, template: list}
    - - name: each
        template: show
        withParam: "{{steps.list.outputs.result}}"
        arguments: {parameters: [{name: key, value: "{{item}}"}]}
  - name: logs
    container: {image: busybox, command: [sh, -c, "mkdir -p /tmp/out && echo a > /tmp/out/a.log && echo b > /tmp/out/b.txt"]}
    outputs:
      artifacts:
      - {name: main-log, path: /tmp/out/a.log, archive: {none: {}}}
      - {name: notes, path: /tmp/out/b.txt, archive: {none: {}}}
  - name: list
    data:
      source:
        artifactPaths: {name: logs, s3: {key: "{{workflow.uid}}"}}
      transformation:
      - expression: 'filter(data, {# endsWith "main-log"})'
      - expression: 'map(data, {sprig.upper(#)})'
  - name: show
    inputs: {parameters: [{name: key}]}
    container: {image: busybox, command: [echo, "{{inputs.parameters.key}}"]}
`,
    );
    const result = await regatta(['run', file, '-o', 'json'], prefix, { REGATTA_ARTIFACTS_DIR: artifacts });
    expect(result.stderr).toBe('');
    const workflow = JSON.parse(result.stdout) as Workflow;
    expect(workflow.status?.phase).toBe('Succeeded');
    const nodes = Object.values(workflow.status!.nodes!);
    const listed = JSON.parse(nodes.find((n) => n.displayName === 'list')!.outputs!.result!) as string[];
    expect(listed).toHaveLength(1);
    // Keys within the workflow's namespace, as a bare key names them: its uid, then Argo's pod name.
    expect(listed[0]).toBe(`${workflow.metadata.uid!.toUpperCase()}/${listed[0]!.split('/')[1]}/MAIN-LOG`);
    expect(listed[0]).toMatch(/\/DATA-DEMO-LOGS-\d+\/MAIN-LOG$/);
    expect(nodes.filter((n) => n.displayName.startsWith('each(')).map((n) => n.outputs?.result)).toEqual(listed);
  });
});

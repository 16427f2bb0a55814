// `regatta run` of a containerSet end to end: one Pod node whose containers run in dependency order in
// one sandbox, with a Container child node per container.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-container-set-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

async function runJson(yaml: string): Promise<{ code: number | null; workflow: Workflow }> {
  const file = join(dir, `wf-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['run', file, '-o', 'json'], prefix);
  expect(result.stderr).toBe('');
  return { code: result.code, workflow: JSON.parse(result.stdout) as Workflow };
}

const nodeNamed = (workflow: Workflow, name: string) => workflow.status!.nodes![Object.keys(workflow.status!.nodes!).find((id) => workflow.status!.nodes![id]!.name === name)!]!;

describe('regatta run: containerSet', () => {
  it('runs a graph of containers in one pod sharing /tmp, and hands main’s result to the next task', async () => {
    const { code, workflow } = await runJson(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cset-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: group, template: group}
      - name: check
        template: check
        dependencies: [group]
        arguments: {parameters: [{name: x, value: "{{tasks.group.outputs.result}}"}]}
  - name: group
    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "echo a >> /tmp/log"]}
      - {name: b, image: alpine, command: [sh, -c, "echo b >> /tmp/log"], dependencies: [a]}
      - {name: c, image: alpine, command: [sh, -c, "echo c >> /tmp/log"], dependencies: [a]}
      - {name: main, image: alpine, command: [sh, -c, "sort /tmp/log | tr '\\\\n' ,"], dependencies: [b, c]}
  - name: check
    inputs: {parameters: [{name: x}]}
    container: {image: alpine, command: [sh, -c, "test '{{inputs.parameters.x}}' = a,b,c, && echo ok"]}
`);
    expect(code).toBe(0);
    const name = workflow.metadata.name!;
    const pod = nodeNamed(workflow, `${name}.group`);
    expect(pod).toMatchObject({ type: 'Pod', phase: 'Succeeded', outputs: { result: 'a,b,c,', exitCode: '0' } });
    for (const container of ['a', 'b', 'c', 'main']) {
      const node = nodeNamed(workflow, `${name}.group.${container}`);
      expect(node).toMatchObject({ type: 'Container', displayName: container, phase: 'Succeeded', outputs: { exitCode: '0' } });
      expect(node.startedAt && node.finishedAt).toBeTruthy();
    }
    expect(pod.children).toEqual([nodeNamed(workflow, `${name}.group.a`).id]);
    expect(nodeNamed(workflow, `${name}.check`)).toMatchObject({ phase: 'Succeeded', outputs: { result: 'ok' } });
    expect(workflow.status?.phase).toBe('Succeeded');
  });

  it('fails the node when a container fails, and its dependents never run', async () => {
    const { code, workflow } = await runJson(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cset-fail-}
spec:
  entrypoint: group
  templates:
  - name: group
    containerSet:
      containers:
      - {name: a, image: alpine, command: [sh, -c, "exit 4"]}
      - {name: main, image: alpine, command: [sh, -c, "echo never"], dependencies: [a]}
`);
    expect(code).toBe(1);
    const name = workflow.metadata.name!;
    expect(workflow.status).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 4)' });
    expect(nodeNamed(workflow, `${name}.a`)).toMatchObject({ type: 'Container', phase: 'Failed', outputs: { exitCode: '4' } });
    expect(nodeNamed(workflow, `${name}.main`)).toMatchObject({ type: 'Container', phase: 'Omitted', message: 'dependency "a" did not succeed' });
  });
});

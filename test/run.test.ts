// `regatta run` end to end: real Redis, real scheduler and worker, real local processes.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
afterAll(() => removePrefix(prefix));

async function runJson(file: string, args: string[] = []): Promise<{ code: number | null; workflow: Workflow; stderr: string }> {
  const result = await regatta(['run', file, '-o', 'json', ...args], prefix);
  expect(result.stderr).toBe('');
  return { code: result.code, workflow: JSON.parse(result.stdout) as Workflow, stderr: result.stderr };
}

/** Writes a workflow's YAML to a file of its own. */
function yamlFile(name: string, yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'regatta-run-')), name);
  writeFileSync(file, yaml);
  return file;
}

function nodeByDisplayName(workflow: Workflow, displayName: string) {
  return Object.values(workflow.status?.nodes ?? {}).find((n) => n.displayName === displayName);
}

describe('regatta run', () => {
  it('runs hello world to Succeeded and prints only the Workflow as JSON', async () => {
    const { code, workflow } = await runJson('examples/hello-world.yaml', ['-p', 'who=regatta']);
    expect(code).toBe(0);
    expect(workflow.kind).toBe('Workflow');
    expect(workflow.metadata.name).toMatch(/^hello-world-[a-z0-9]{5}$/);
    expect(workflow.status?.phase).toBe('Succeeded');
    const root = workflow.status!.nodes![workflow.metadata.name!]!;
    expect(root).toMatchObject({ type: 'Pod', phase: 'Succeeded', outputs: { result: 'hello regatta', exitCode: '0' } });
  });

  it('runs steps with a parallel group in order', async () => {
    const { code, workflow } = await runJson('examples/steps.yaml');
    expect(code).toBe(0);
    const left = nodeByDisplayName(workflow, 'left')!;
    const right = nodeByDisplayName(workflow, 'right')!;
    const finish = nodeByDisplayName(workflow, 'finish')!;
    expect(left.outputs?.result).toBe('left branch');
    expect(right.name).toBe(`${workflow.metadata.name}[1].right`);
    expect(Date.parse(finish.startedAt!)).toBeGreaterThanOrEqual(Date.parse(left.finishedAt!));
  });

  it('passes parameters through a DAG diamond', async () => {
    const { code, workflow } = await runJson('examples/dag-diamond.yaml');
    expect(code).toBe(0);
    expect(nodeByDisplayName(workflow, 'A')?.outputs?.result).toBe('2');
    expect(nodeByDisplayName(workflow, 'B')?.outputs?.result).toBe('3');
    expect(nodeByDisplayName(workflow, 'D')?.outputs?.result).toBe('6');
  });

  it('hands an output parameter from a file to the next step', async () => {
    const { code, workflow } = await runJson('examples/output-parameter.yaml');
    expect(code).toBe(0);
    expect(nodeByDisplayName(workflow, 'generate')?.outputs?.parameters).toEqual([{ name: 'greeting', value: 'hello from a file' }]);
    expect(nodeByDisplayName(workflow, 'consume')?.outputs?.result).toBe('hello from a file');
  });

  it('fans out withItems and withParam and aggregates the results', async () => {
    const { code, workflow } = await runJson('examples/loops.yaml');
    expect(code).toBe(0);
    expect(nodeByDisplayName(workflow, 'greet(1:grace)')?.outputs?.result).toBe('hello grace');
    expect(nodeByDisplayName(workflow, 'square(2:n:4)')?.outputs?.result).toBe('16');
    expect(nodeByDisplayName(workflow, 'report')?.outputs?.result).toBe('[4,9,16]');
  });

  it('runs every item of a fan-out of 150 with its own input, though workers get it ten nodes to a job', async () => {
    const file = yamlFile(
      'wide.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wide-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: square
        template: square
        arguments: {parameters: [{name: n, value: "{{item}}"}]}
        withSequence: {count: "150"}
  - name: square
    inputs: {parameters: [{name: n}]}
    container: {image: busybox, command: [sh, -c, "echo $(({{inputs.parameters.n}} * {{inputs.parameters.n}}))"]}
`,
    );
    const { code, workflow } = await runJson(file);
    expect(code).toBe(0);
    const pods = Object.values(workflow.status!.nodes!).filter((n) => n.type === 'Pod');
    expect(pods).toHaveLength(150);
    for (let i = 0; i < 150; i++) expect(nodeByDisplayName(workflow, `square(${i}:${i})`)).toMatchObject({ phase: 'Succeeded', outputs: { result: String(i * i) } });
  });

  it('exits 1 when a node fails, failing the workflow with Argo messages and starting nothing after it', async () => {
    const file = yamlFile(
      'fail.yaml',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: fail-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: boom, template: exit-three}
    - - {name: never, template: exit-three}
  - name: exit-three
    container: {image: busybox, command: [sh, -c, "echo failing; exit 3"]}
`,
    );
    const { code, workflow } = await runJson(file);
    expect(code).toBe(1);
    const boom = nodeByDisplayName(workflow, 'boom')!;
    expect(boom).toMatchObject({ phase: 'Failed', message: 'Error (exit code 3)', outputs: { exitCode: '3' } });
    expect(workflow.status).toMatchObject({ phase: 'Failed', message: `child '${boom.id}' failed` });
    expect(nodeByDisplayName(workflow, 'never')).toBeUndefined();
  });

  it('ends a node in Error when the worker cannot run it, after BullMQ has tried other attempts', async () => {
    // The executor cannot make its per-node folder under a file: a host problem, not the node's.
    const result = await regatta(['run', 'examples/hello-world.yaml', '-o', 'json'], prefix, { TMPDIR: '/etc/hostname' });
    expect(result.code).toBe(1);
    const workflow = JSON.parse(result.stdout) as Workflow;
    const root = workflow.status!.nodes![workflow.metadata.name!]!;
    expect(root.phase).toBe('Error');
    expect(root.message).toMatch(/^worker could not run the node: /);
    expect(workflow.status?.phase).toBe('Error');
  });

  it('prints the node tree when no output format is asked for', async () => {
    const result = await regatta(['run', 'examples/steps.yaml'], prefix);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Status:\s+Succeeded/);
    expect(result.stdout).toContain('left');
    expect(result.stdout).toContain('right');
  });

  it('streams node output with --log', async () => {
    const result = await regatta(['run', 'examples/steps.yaml', '--log'], prefix);
    expect(result.code).toBe(0);
    // Each line after its pod's name, as `argo logs` prints them.
    expect(result.stdout).toMatch(/^steps-[a-z0-9]{5}-say-\d+: left branch$/m);
    expect(result.stdout).toMatch(/^steps-[a-z0-9]{5}-say-\d+: done$/m);
  });
});

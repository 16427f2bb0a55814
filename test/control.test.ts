// Execution control end to end through `regatta run`: retries with a backoff kept as a Redis timer,
// and exit handlers seeing the workflow's outcome.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
afterAll(() => removePrefix(prefix));
const dir = mkdtempSync(join(tmpdir(), 'regatta-control-'));

async function run(name: string, yaml: string): Promise<{ code: number | null; workflow: Workflow; nodes: NodeStatus[] }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['run', file, '-o', 'json'], prefix);
  expect(result.stderr).toBe('');
  const workflow = JSON.parse(result.stdout) as Workflow;
  return { code: result.code, workflow, nodes: Object.values(workflow.status?.nodes ?? {}) };
}

describe('retries and exit handlers through regatta run', () => {
  it('retries a failing container after its backoff until an attempt succeeds', async () => {
    const { code, nodes } = await run(
      'retry',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-}
spec:
  entrypoint: flaky
  templates:
  - name: flaky
    retryStrategy: {limit: 3, backoff: {duration: "1"}}
    container: {image: busybox, command: [sh, -c, "echo attempt {{retries}}; [ {{retries}} -ge 2 ]"]}
`,
    );
    expect(code).toBe(0);
    const retry = nodes.find((n) => n.type === 'Retry')!;
    expect(retry.phase).toBe('Succeeded');
    const attempts = retry.children!.map((id) => nodes.find((n) => n.id === id)!);
    expect(attempts.map((a) => [a.displayName, a.phase])).toEqual([
      [`${retry.displayName}(0)`, 'Failed'],
      [`${retry.displayName}(1)`, 'Failed'],
      [`${retry.displayName}(2)`, 'Succeeded'],
    ]);
    expect(attempts[2]!.outputs?.result).toBe('attempt 2');
    // Argo's times have whole seconds: a 1 s backoff shows as at least 1 s between attempts.
    expect(Date.parse(attempts[1]!.startedAt!) - Date.parse(attempts[0]!.finishedAt!)).toBeGreaterThanOrEqual(1000);
  });

  it("runs the workflow's exit handler with workflow.status after a failure", async () => {
    const { code, workflow, nodes } = await run(
      'exit',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: exit-}
spec:
  entrypoint: main
  onExit: report
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "exit 2"]}
  - name: report
    container: {image: busybox, command: [echo, "status={{workflow.status}}"]}
`,
    );
    expect(code).toBe(1);
    expect(workflow.status?.phase).toBe('Failed');
    const exit = nodes.find((n) => n.name === `${workflow.metadata.name}.onExit`)!;
    expect(exit).toMatchObject({ phase: 'Succeeded', outputs: { result: 'status=Failed' } });
  });
});

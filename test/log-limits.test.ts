// The operator's log bounds reach the worker: REGATTA_LOG_NODE_BYTES and REGATTA_LOG_WORKFLOW_BYTES
// cut a node's and a workflow's output with a notice, through `regatta run --log`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-log-limits-'));
afterAll(async () => {
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

const chatty = join(dir, 'chatty.yaml');
writeFileSync(
  chatty,
  `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: chatty-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: busybox
        command: [sh, -c, 'for i in 1 2 3 4 5 6 7 8 9; do echo line-$i; done']
`,
);

describe('log bounds set by the operator', () => {
  it("cut a node's output at REGATTA_LOG_NODE_BYTES with a notice", async () => {
    const result = await regatta(['run', chatty, '--log'], prefix, { REGATTA_LOG_NODE_BYTES: '20' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/line-3/);
    expect(result.stdout).not.toMatch(/line-4/);
    expect(result.stdout).toMatch(/this node's logs reached 20 bytes/);
  });

  it("cut a workflow's output at REGATTA_LOG_WORKFLOW_BYTES with a notice", async () => {
    const result = await regatta(['run', chatty, '--log'], prefix, { REGATTA_LOG_WORKFLOW_BYTES: '13' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/line-2/);
    expect(result.stdout).not.toMatch(/line-3/);
    expect(result.stdout).toMatch(/this workflow's logs reached 13 bytes/);
  });

  it('refuse a bound that is not a positive integer, naming the variable', async () => {
    const result = await regatta(['run', chatty], prefix, { REGATTA_LOG_NODE_BYTES: 'lots' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('REGATTA_LOG_NODE_BYTES must be a positive integer');
  });
});

// A pod deadline longer than one Node timer holds (2^31-1 ms, 24.8 days) must not fire at once: Node
// runs such a timer after 1 ms, which killed every pod of a template with a 35-day deadline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { nodeByDisplayName, runYaml } from './support/run-yaml.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-long-deadline-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

describe('long pod deadlines', () => {
  it('runs a node with activeDeadlineSeconds: 3000000 (35 days) to success', async () => {
    const { code, workflow } = await runYaml(
      dir,
      'long-deadline',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: long-deadline}
spec:
  entrypoint: main
  templates:
  - name: main
    activeDeadlineSeconds: 3000000
    container: {image: busybox, command: [sh, -c, 'sleep 1; echo done']}
`,
      prefix,
    );
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(nodeByDisplayName(workflow, 'long-deadline').phase).toBe('Succeeded');
    expect(code).toBe(0);
  });
});

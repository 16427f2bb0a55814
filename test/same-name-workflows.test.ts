// Two workflows may share a name: in two namespaces, or one deleted and submitted again. Their node
// ids are made from the name and so are alike; their node jobs must still be apart, or BullMQ keeps
// the first workflow's job and the second workflow's node never runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-same-name-'));
const services: ReturnType<typeof startService>[] = [];
afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

describe('workflows of the same name', () => {
  it('runs `dupname` in namespaces nsa and nsb at the same time, both to success', async () => {
    const file = join(dir, 'dupname.yaml');
    // The node lasts long enough for both workflows' jobs to exist at once.
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: dupname}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, 'sleep 3; echo done']}
`,
    );
    services.push(startService(['scheduler'], prefix), startService(['worker'], prefix));
    const results = await Promise.all(['nsa', 'nsb'].map((namespace) => regatta(['submit', file, '-n', namespace, '--watch', '-o', 'json'], prefix)));
    for (const result of results) expect(result.stderr).toBe('');
    const workflows = results.map((result) => JSON.parse(result.stdout) as Workflow);
    expect(workflows.map((w) => [w.metadata.namespace, w.status?.phase])).toEqual([
      ['nsa', 'Succeeded'],
      ['nsb', 'Succeeded'],
    ]);
  }, 60_000);
});

// archiveLogs through the YAML a user writes (Argo's archive-location.yaml shape): the local executor
// saves the main container's output as the node's `main-logs` artifact, main.log in the repository.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow, WorkflowNode } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-archive-logs-'));
const artifactsDir = join(dir, 'artifacts');
const env = { LOG_LEVEL: 'warn', REGATTA_ARTIFACTS_DIR: artifactsDir };
const services: ReturnType<typeof startService>[] = [];

beforeAll(() => {
  services.push(startService(['scheduler'], prefix, env), startService(['worker', '--concurrency', '2'], prefix, env));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

/** Submits the workflow and gives its one pod node once the workflow has ended. */
async function podOf(name: string, yaml: string): Promise<{ workflow: Workflow; pod: WorkflowNode }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  expect((await regatta(['submit', file], prefix, env)).stderr).toBe('');
  const workflow = await until(`${name} to end`, async () => {
    const got = await regatta(['get', name, '-o', 'json'], prefix, env);
    const found = got.code === 0 ? (JSON.parse(got.stdout) as Workflow) : undefined;
    return found?.status?.finishedAt !== undefined && found;
  });
  return { workflow, pod: Object.values(workflow.status!.nodes!).find((node) => node.type === 'Pod')! };
}

describe('archiveLogs with the local executor', () => {
  it("saves a template's main container output as main-logs when its archiveLocation says archiveLogs", async () => {
    const { workflow, pod } = await podOf(
      'archive-location',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: archive-location}
spec:
  entrypoint: hello-world
  templates:
  - name: hello-world
    container:
      image: busybox
      command: [echo]
      args: ["hello world"]
    archiveLocation:
      archiveLogs: true
`,
    );
    expect(workflow.status?.phase).toBe('Succeeded');
    const key = `default/${workflow.metadata.uid}/archive-location/main.log`;
    expect(pod.outputs?.artifacts).toEqual([{ name: 'main-logs', key, archive: { none: {} } }]);
    expect(readFileSync(join(artifactsDir, key), 'utf8')).toBe('hello world\n');
  });

  it("saves stdout and stderr of a failing main container, not its sidecar's, with the workflow's spec.archiveLogs", async () => {
    const { workflow, pod } = await podOf(
      'failing-logs',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: failing-logs}
spec:
  entrypoint: fail
  archiveLogs: true
  templates:
  - name: fail
    container: {image: busybox, command: [sh, -c, "echo out; echo err >&2; exit 3"]}
    sidecars:
    - {name: chatter, image: busybox, command: [sh, -c, "echo sidecar; sleep 30"]}
`,
    );
    expect(workflow.status?.phase).toBe('Failed');
    const [logs] = pod.outputs?.artifacts ?? [];
    expect(logs?.name).toBe('main-logs');
    expect(readFileSync(join(artifactsDir, logs!.key!), 'utf8').split('\n').sort()).toEqual(['', 'err', 'out']);
  });
});

// artifactGC end to end against the local artifact store: a scheduler and a worker as processes, the
// workflows submitted with `regatta submit` as a user would, and the artifact folder looked at.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact, Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-artifact-gc-'));
const artifactsDir = join(dir, 'artifacts');
const services: ReturnType<typeof startService>[] = [];
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  const env = { LOG_LEVEL: 'warn', REGATTA_ARTIFACTS_DIR: artifactsDir };
  services.push(startService(['scheduler'], prefix, env), startService(['worker', '--concurrency', '4'], prefix, env));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

const workflow = (name: string, spec: string, collect: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: make
${spec}
  templates:
  - name: make
    container: {image: busybox, command: [sh, -c, "echo one > /tmp/one.txt && echo two > /tmp/two.txt"]}
    outputs:
      artifacts:
      - {name: collected, path: /tmp/one.txt${collect}}
      - {name: kept, path: /tmp/two.txt, artifactGC: {strategy: Never}}
`;

async function submit(name: string, yaml: string): Promise<void> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['submit', file], prefix);
  expect(result.stderr).toBe('');
}

async function get(name: string): Promise<Workflow | undefined> {
  const got = await regatta(['get', name, '-o', 'json'], prefix);
  return got.code === 0 ? (JSON.parse(got.stdout) as Workflow) : undefined;
}

/** The pod's output artifacts by name, once the workflow has succeeded. */
async function succeeded(name: string): Promise<Record<string, Artifact>> {
  let found: Workflow | undefined;
  await until(`${name} to succeed`, async () => (found = await get(name))?.status?.phase === 'Succeeded');
  const pod = Object.values(found!.status!.nodes!).find((node) => node.type === 'Pod')!;
  return Object.fromEntries((pod.outputs?.artifacts ?? []).map((artifact) => [artifact.name, artifact]));
}

const stored = (artifact: Artifact | undefined) => existsSync(join(artifactsDir, artifact!.key!));

describe('artifactGC with the local store', () => {
  it('deletes OnWorkflowCompletion artifacts once the workflow succeeds, keeps the Never ones, and records it', async () => {
    await submit('on-completion', workflow('on-completion', '  artifactGC: {strategy: OnWorkflowCompletion}', ''));
    const artifacts = await succeeded('on-completion');
    expect(stored(artifacts.kept)).toBe(true);
    let done: Workflow | undefined;
    await until('the collection to be recorded', async () => (done = await get('on-completion'))?.status?.artifactGCStatus?.strategiesProcessed?.OnWorkflowCompletion === true);
    expect(stored(artifacts.collected)).toBe(false);
    expect(stored(artifacts.kept)).toBe(true);
    const pod = Object.values(done!.status!.nodes!).find((node) => node.type === 'Pod')!;
    expect(pod.outputs?.artifacts?.map(({ name, deleted }) => ({ name, deleted }))).toEqual([
      { name: 'collected', deleted: true },
      { name: 'kept', deleted: undefined },
    ]);
    expect(done!.status?.conditions).toBeUndefined();
  });

  it('deletes OnWorkflowDeletion artifacts before the ttlStrategy deletes the workflow', async () => {
    await submit('on-ttl', workflow('on-ttl', '  ttlStrategy: {secondsAfterSuccess: 1}', ', artifactGC: {strategy: OnWorkflowDeletion}'));
    const artifacts = await succeeded('on-ttl');
    expect(stored(artifacts.collected)).toBe(true);
    await until('the workflow to be deleted', async () => (await redis.hget(`${prefix}:names:default`, 'on-ttl')) === null);
    expect(stored(artifacts.collected)).toBe(false);
    expect(stored(artifacts.kept)).toBe(true);
  });

  it('deletes OnWorkflowDeletion artifacts on `regatta delete`, in a process given no secrets key', async () => {
    await submit('on-delete', workflow('on-delete', '  artifactGC: {strategy: OnWorkflowDeletion}', ''));
    const artifacts = await succeeded('on-delete');
    expect(stored(artifacts.collected)).toBe(true);
    const deleted = await regatta(['delete', 'on-delete'], prefix, { REGATTA_ARTIFACTS_DIR: artifactsDir, REGATTA_SECRETS_KEY: '', REGATTA_SECRETS_KEY_FILE: '' });
    expect(deleted.stderr).toBe('');
    expect(stored(artifacts.collected)).toBe(false);
    expect(stored(artifacts.kept)).toBe(true);
    expect(await get('on-delete')).toBeUndefined();
  });
});

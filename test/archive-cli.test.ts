// `regatta archive …` end to end: the built CLI against the real PostgreSQL (a schema of this run's
// own, named in ARCHIVE_DATABASE_URL's search_path) and Redis.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowArchive } from '@regatta/archive';
import type { Workflow } from '@regatta/spec';
import { WorkflowStore } from '@regatta/store';
import { regatta } from './support/cli.js';
import { ARCHIVE_DATABASE_URL, dropSchema, uniqueSchema } from './support/postgres.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const schema = uniqueSchema();
const env = { ARCHIVE_DATABASE_URL: `${ARCHIVE_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
let archive: WorkflowArchive;
let redis: Redis;

function ended(name: string, phase: 'Succeeded' | 'Failed', labels: Record<string, string>, startedAt: string): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: 'default', uid: randomUUID(), labels },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] },
    status: {
      phase,
      startedAt,
      finishedAt: startedAt,
      ...(phase === 'Failed' && { message: 'it failed' }),
      nodes: { [name]: { id: name, name, displayName: name, type: 'Pod', templateName: 'main', phase, startedAt, finishedAt: startedAt } },
    },
  } as Workflow;
}

const done = ended('archived-ok', 'Succeeded', { team: 'a' }, '2026-01-02T00:00:00Z');
const failed = ended('archived-failed', 'Failed', { team: 'b' }, '2026-01-01T00:00:00Z');

beforeAll(async () => {
  archive = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
  await archive.archive(done);
  await archive.archive(failed);
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await archive?.close();
  await dropSchema(schema);
  await removePrefix(prefix);
  redis?.disconnect();
});

describe('regatta archive', () => {
  it('lists archived workflows newest first as Argo prints them, by label and as names', async () => {
    const list = await regatta(['archive', 'list'], prefix, env);
    expect(list.stderr).toBe('');
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+STATUS\s+AGE\s+DURATION\s+PRIORITY\s+MESSAGE\s+UID$/);
    expect(lines[1]).toMatch(new RegExp(`^default\\s+archived-ok\\s+Succeeded\\s+\\S+\\s+0s\\s+0\\s+${done.metadata.uid}$`));
    expect(lines[2]).toMatch(/^default\s+archived-failed\s+Failed\s+\S+\s+0s\s+0\s+it failed\s+/);
    const selected = await regatta(['archive', 'list', '-l', 'team=b', '-o', 'name', '--chunk-size', '1'], prefix, env);
    expect(selected.stdout).toBe('archived-failed\n');
    const json = await regatta(['archive', 'list', '-o', 'json', '--chunk-size', '1'], prefix, env);
    expect((JSON.parse(json.stdout) as Workflow[]).map((w) => w.metadata.name)).toEqual(['archived-ok', 'archived-failed']);
  });

  it('gets one by uid, and lists label keys and values', async () => {
    const got = await regatta(['archive', 'get', done.metadata.uid!, '-o', 'json'], prefix, env);
    expect(JSON.parse(got.stdout)).toEqual(done);
    expect((await regatta(['archive', 'list-label-keys'], prefix, env)).stdout).toBe('team\n');
    expect((await regatta(['archive', 'list-label-values', '-l', 'team'], prefix, env)).stdout).toBe('a\nb\n');
  });

  it('refuses bad input with a message naming it', async () => {
    const bad = await regatta(['archive', 'list', '-l', 'team in ()'], prefix, env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--selector/);
    const missing = await regatta(['archive', 'get', randomUUID()], prefix, env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
    const noDatabase = await regatta(['archive', 'list'], prefix, { ARCHIVE_DATABASE_URL: '' });
    expect(noDatabase.code).toBe(1);
    expect(noDatabase.stderr).toMatch(/ARCHIVE_DATABASE_URL/);
    const retrySucceeded = await regatta(['archive', 'retry', done.metadata.uid!], prefix, env);
    expect(retrySucceeded.code).toBe(1);
    expect(retrySucceeded.stderr).toMatch(/only a Failed or Error workflow can be retried/);
    expect(await new WorkflowStore(redis, prefix).uidOf('default', 'archived-ok')).toBeUndefined();
  });

  it('resubmits an archived workflow as a new live one', async () => {
    const result = await regatta(['archive', 'resubmit', done.metadata.uid!], prefix, env);
    expect(result.stderr).toBe('');
    const name = /^Name: (archived-ok-\w{5})$/m.exec(result.stdout)?.[1];
    expect(name).toBeDefined();
    const store = new WorkflowStore(redis, prefix);
    const live = await store.load((await store.uidOf('default', name!))!);
    expect(live?.workflow.metadata.labels).toMatchObject({ 'workflows.argoproj.io/resubmitted-from-workflow': 'archived-ok' });
    expect(live?.workflow.status.phase).toBe('');
  });

  it('retries a Failed archived workflow: recreated live as it ended, under a new uid, with its retry sent', async () => {
    const result = await regatta(['archive', 'retry', failed.metadata.uid!], prefix, env);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('workflow archived-failed retried\n');
    const store = new WorkflowStore(redis, prefix);
    const uid = (await store.uidOf('default', 'archived-failed'))!;
    expect(uid).not.toBe(failed.metadata.uid);
    const live = await store.load(uid);
    expect(live?.workflow.status.phase).toBe('Failed');
    const shard = live!.shard;
    const events = await redis.xrange(store.keys.shard(shard).events, '-', '+');
    expect(events.map(([, fields]) => fields.join(' ')).filter((entry) => entry.includes(uid) && entry.includes('retry'))).toHaveLength(1);
    // Its name is live now: a second retry is refused.
    const again = await regatta(['archive', 'retry', failed.metadata.uid!], prefix, env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });
});

// Deleting a workflow removes every key it has, keeps them removed while its nodes still print, and
// never touches a newer workflow that took its name.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { LogStore } from './log-store.js';
import { WorkflowStore } from './workflow-store.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;
let store: WorkflowStore;
let logs: LogStore;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  store = new WorkflowStore(redis, prefix);
  logs = new LogStore(redis, store.keys);
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

function workflow(name: string): Workflow {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'default', uid: randomUUID() }, spec: { entrypoint: 'main', templates: [] } };
}

const keysOf = (uid: string) => redis.keys(`${prefix}:{wf:${uid}}:*`);
const line = (text: string) => ({ nodeId: 'n1', stream: 'stdout' as const, line: text });

describe('deleting a workflow', () => {
  it('leaves no key of it, even when a node still running appends log lines afterwards', async () => {
    const wf = workflow('printing');
    const uid = wf.metadata.uid!;
    await store.create(wf, 0);
    await store.apply({ uid, epoch: 1, version: 0, status: { phase: 'Running' }, nodes: [{ id: 'n1', name: 'n1', displayName: 'n1', type: 'Pod', phase: 'Running' }], commands: ['{"type":"cancelNodes","nodeIds":[]}'] });
    await logs.append(uid, [line('before')]);
    expect((await keysOf(uid)).sort()).toEqual(['logs', 'nodes', 'outbox', 'record'].map((k) => `${prefix}:{wf:${uid}}:${k}`));
    expect(await store.delete('default', 'printing')).toBe(true);
    await logs.append(uid, [line('after the delete'), line('and more')]);
    expect(await keysOf(uid)).toEqual([]);
    expect(await store.uidOf('default', 'printing')).toBeUndefined();
  });

  it('by uid removes the name only while it stands for that uid: a newer workflow of the name stays', async () => {
    const old = workflow('reused');
    await store.create(old, 0);
    await store.delete('default', 'reused');
    const newer = workflow('reused');
    await store.create(newer, 0);
    // The old one's TTL fires now.
    await store.deleteByUid(old.metadata.uid!, 'default', 'reused');
    expect(await store.uidOf('default', 'reused')).toBe(newer.metadata.uid);
    expect(await store.load(newer.metadata.uid!)).toBeDefined();
    expect((await store.list('default')).map((w) => w.uid)).toContain(newer.metadata.uid);
  });
});

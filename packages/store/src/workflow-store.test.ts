import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { ShardLease } from './shard-lease.js';
import { StoreError } from './errors.js';
import { WorkflowStore } from './workflow-store.js';

const prefix = `regatta-test-${randomUUID().slice(0, 8)}`;
let redis: Redis;
let store: WorkflowStore;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  store = new WorkflowStore(redis, prefix);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function workflow(name: string): Workflow {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'default', uid: randomUUID() }, spec: { entrypoint: 'main', templates: [] } };
}

const node = (id: string): NodeStatus => ({ id, name: id, displayName: id, type: 'Pod', phase: 'Running' });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof StoreError ? error.code : String(error);
  }
}

describe('the workflow store', () => {
  it('stores a transition of 200,000 commands (two loops at the item limit)', async () => {
    const wf = workflow('big');
    await store.create(wf, 0);
    const commands = Array.from({ length: 200_000 }, (_, i) => `{"i":${i}}`);
    await store.apply({ uid: wf.metadata.uid!, epoch: 1, version: 0, nodes: [node('big')], commands });
    const outbox = store.keys.workflow(wf.metadata.uid!).outbox;
    expect(await redis.llen(outbox)).toBe(200_000);
    expect(await redis.lindex(outbox, -1)).toBe('{"i":199999}');
  });

  it('creates a workflow that starts with 100,000 nodes (a memoized resubmission of a big one)', async () => {
    const wf = workflow('resubmitted');
    const nodes = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`n${i}`, node(`n${i}`)]));
    await store.create({ ...wf, status: { phase: '', nodes } }, 0);
    expect(await redis.hlen(store.keys.workflow(wf.metadata.uid!).nodes)).toBe(100_000);
    expect(JSON.parse((await redis.hget(store.keys.workflow(wf.metadata.uid!).nodes, 'n99999'))!)).toEqual(node('n99999'));
  });

  it('stores a transition with its outbox and reads it back', async () => {
    const wf = workflow('one');
    await store.create(wf, 3);
    const uid = wf.metadata.uid!;
    const version = await store.apply({ uid, epoch: 1, version: 0, status: { phase: 'Running' }, nodes: [node('one')], commands: ['{"a":1}', '{"b":2}'] });
    expect(version).toBe(1);
    const loaded = await store.load(uid);
    expect(loaded).toMatchObject({ version: 1, shard: 3, outbox: ['{"a":1}', '{"b":2}'] });
    expect(loaded!.workflow.status).toEqual({ phase: 'Running', nodes: { one: node('one') } });
    expect(await store.clearOutbox(uid, 1, ['{"a":1}'])).toBe(true);
    expect((await store.load(uid))!.outbox).toEqual(['{"b":2}']);
  });

  it('clears exactly the commands carried out: a late second clear removes nothing stored after them', async () => {
    const wf = workflow('cleared');
    await store.create(wf, 0);
    const uid = wf.metadata.uid!;
    await store.apply({ uid, epoch: 1, version: 0, nodes: [], commands: ['1.0 a', '1.1 b'] });
    expect(await store.clearOutbox(uid, 1, ['1.0 a', '1.1 b'])).toBe(true);
    await store.apply({ uid, epoch: 1, version: 1, nodes: [], commands: ['2.0 c', '2.1 d', '2.2 e'] });
    // The same two commands cleared again (a carry-out that ran twice): the later three stay.
    expect(await store.clearOutbox(uid, 1, ['1.0 a', '1.1 b'])).toBe(false);
    expect((await store.load(uid))!.outbox).toEqual(['2.0 c', '2.1 d', '2.2 e']);
    expect(await store.clearOutbox(uid, 1, ['2.0 c', '2.1 d'])).toBe(true);
    expect((await store.load(uid))!.outbox).toEqual(['2.2 e']);
  });

  it("stores a loop's 100,000 commands in one transition", async () => {
    const wf = workflow('large');
    await store.create(wf, 0);
    const uid = wf.metadata.uid!;
    const commands = Array.from({ length: 100_000 }, (_, i) => String(i));
    expect(await store.apply({ uid, epoch: 1, version: 0, status: { phase: 'Running' }, nodes: [node('a')], commands })).toBe(1);
    const outbox = (await store.load(uid))!.outbox;
    expect(outbox).toHaveLength(100_000);
    expect(outbox.at(-1)).toBe('99999');
  });

  it('refuses a write from an older lease epoch and a write with a stale version, changing nothing', async () => {
    const wf = workflow('fenced');
    await store.create(wf, 0);
    const uid = wf.metadata.uid!;
    await store.apply({ uid, epoch: 5, version: 0, status: { phase: 'Running' }, nodes: [], commands: [] });
    expect(await codeOf(store.apply({ uid, epoch: 4, version: 1, status: { phase: 'Failed' }, nodes: [node('x')], commands: ['c'] }))).toBe('FENCED');
    expect(await codeOf(store.apply({ uid, epoch: 5, version: 0, status: { phase: 'Failed' }, nodes: [], commands: [] }))).toBe('STALE');
    expect(await codeOf(store.clearOutbox(uid, 4, ['c']))).toBe('FENCED');
    const loaded = await store.load(uid);
    expect(loaded).toMatchObject({ version: 1, outbox: [] });
    expect(loaded!.workflow.status).toEqual({ phase: 'Running', nodes: {} });
  });

  it('refuses a second workflow of the same name in a namespace', async () => {
    await store.create(workflow('twice'), 0);
    expect(await codeOf(store.create(workflow('twice'), 0))).toBe('EXISTS');
  });

  it('grants a shard lease to one owner at a time, with a growing epoch', async () => {
    const a = new ShardLease(redis, store.keys, 'a', 200);
    const b = new ShardLease(redis, store.keys, 'b', 200);
    const first = await a.acquire(7);
    expect(first).toBeGreaterThan(0);
    expect(await b.acquire(7)).toBe(0);
    expect(await a.renew(7, first)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await b.acquire(7);
    expect(second).toBeGreaterThan(first);
    expect(await a.renew(7, first)).toBe(false);
    await b.release(7, second);
    expect(await a.acquire(7)).toBeGreaterThan(second);
  });
});

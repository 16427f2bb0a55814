// A submission's steps cut short at each point, as a submitter killed there leaves them, then settled
// by the shard's sweep or taken over by the next submission of the name.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { StoreError } from './errors.js';
import { WorkflowStore } from './workflow-store.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;
let store: WorkflowStore;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  store = new WorkflowStore(redis, prefix);
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

let shardCount = 0;
/** A shard of its own per test, so each reads only its own events and submissions. */
const freshShard = () => ++shardCount;

function workflow(name: string): Workflow {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'default', uid: randomUUID() }, spec: { entrypoint: 'main', templates: [] } };
}

async function announced(shard: number): Promise<string[]> {
  const entries = await redis.xrange(store.keys.shard(shard).events, '-', '+');
  return entries.map(([, fields]) => `${fields[1]} ${fields[3]}`);
}

/** Settles every submission of the shard as the sweep does, whatever its age. */
async function sweep(shard: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (const uid of await store.submissions.stale(shard, -1)) outcomes.push(await store.submissions.settle(uid, shard));
  return outcomes;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof StoreError ? error.code : String(error);
  }
}

const keysOf = (uid: string) => redis.keys(`${prefix}:{wf:${uid}}:*`);

describe('a submission cut short', () => {
  it('after its record and name: the sweep announces it, once, and it is listed', async () => {
    const shard = freshShard();
    const wf = workflow('no-event');
    const uid = wf.metadata.uid!;
    await store.submissions.begin(uid, shard);
    await store.submissions.writeRecord(wf, shard);
    expect(await store.submissions.claimName('default', 'no-event', uid)).toBe(true);
    expect(await announced(shard)).toEqual([]);
    expect(await sweep(shard)).toEqual(['announced']);
    expect(await announced(shard)).toEqual([`${uid} {"type":"workflowSubmitted"}`]);
    expect(await sweep(shard)).toEqual([]);
    expect((await store.list('default')).map((w) => w.name)).toContain('no-event');
  });

  it('after its record, before its name: the sweep removes the record and the name stays free', async () => {
    const shard = freshShard();
    const wf = workflow('no-name');
    const uid = wf.metadata.uid!;
    await store.submissions.begin(uid, shard);
    await store.submissions.writeRecord({ ...wf, status: { phase: '', nodes: { n: { id: 'n', name: 'n', displayName: 'n', type: 'Pod', phase: 'Succeeded' } } } }, shard);
    expect(await sweep(shard)).toEqual(['rolledBack']);
    expect(await keysOf(uid)).toEqual([]);
    expect(await announced(shard)).toEqual([]);
    await store.create(workflow('no-name'), shard);
    expect(await announced(shard)).toHaveLength(1);
  });

  it('right after it began: the sweep forgets it', async () => {
    const shard = freshShard();
    const uid = randomUUID();
    await store.submissions.begin(uid, shard);
    expect(await sweep(shard)).toEqual(['rolledBack']);
    expect(await redis.zcard(store.keys.shard(shard).submitting)).toBe(0);
    expect(await keysOf(uid)).toEqual([]);
  });

  it('a sweep leaves a submission in progress alone until it is older than STALE_MS', async () => {
    const shard = freshShard();
    const wf = workflow('young');
    await store.submissions.begin(wf.metadata.uid!, shard);
    await store.submissions.writeRecord(wf, shard);
    expect(await store.submissions.stale(shard)).toEqual([]);
    expect(await store.submissions.stale(shard, -1)).toEqual([wf.metadata.uid]);
  });

  it('once a sweep has begun rolling it back, its submitter can no longer announce it', async () => {
    const shard = freshShard();
    const wf = workflow('stalled');
    const uid = wf.metadata.uid!;
    await store.submissions.begin(uid, shard);
    await store.submissions.writeRecord(wf, shard);
    // The sweep decided before the name was claimed and marked it; the stalled submitter carries on.
    await redis.zadd(store.keys.shard(shard).submitting, 'XX', -1, uid);
    expect(await store.submissions.claimName('default', 'stalled', uid)).toBe(true);
    expect(await store.submissions.announce(uid, shard)).toBe('rolledBack');
    expect(await codeOf(store.submissions.begin(uid, shard))).toBe('ROLLED_BACK');
    expect(await sweep(shard)).toEqual(['rolledBack']);
    expect(await announced(shard)).toEqual([]);
    expect(await keysOf(uid)).toEqual([]);
    expect(await store.uidOf('default', 'stalled')).toBeUndefined();
  });
});

describe('a submitter stalled past STALE_MS', () => {
  it('whose submission a sweep announced meanwhile reports it submitted, announced once', async () => {
    const shard = freshShard();
    const wf = workflow('slow-announced');
    const stalled = Object.create(store.submissions) as typeof store.submissions;
    stalled.announce = async (uid, at) => (await sweep(at), store.submissions.announce(uid, at));
    await stalled.submit(wf, shard);
    expect(await announced(shard)).toEqual([`${wf.metadata.uid} {"type":"workflowSubmitted"}`]);
    expect(await store.uidOf('default', 'slow-announced')).toBe(wf.metadata.uid);
  });

  it('whose submission a sweep rolled back meanwhile runs its steps again and ends announced', async () => {
    const shard = freshShard();
    const wf = workflow('slow-rolled-back');
    const stalled = Object.create(store.submissions) as typeof store.submissions;
    // The sweep runs before the name is claimed: it finds the record without its name and undoes it.
    stalled.claimName = async (namespace, name, uid) => (await sweep(shard), store.submissions.claimName(namespace, name, uid));
    await stalled.submit(wf, shard);
    expect(await announced(shard)).toEqual([`${wf.metadata.uid} {"type":"workflowSubmitted"}`]);
    expect((await store.load(wf.metadata.uid!))?.workflow.metadata.name).toBe('slow-rolled-back');
  });
});

describe('names', () => {
  it('a name left by a workflow whose record is gone is free: the next submission takes it over', async () => {
    const shard = freshShard();
    // What a crash between claiming the name and writing the record left before (or one inside a delete).
    await redis.hset(store.keys.names('default'), 'left-behind', randomUUID());
    const wf = workflow('left-behind');
    await store.create(wf, shard);
    expect(await store.uidOf('default', 'left-behind')).toBe(wf.metadata.uid);
    expect(await announced(shard)).toEqual([`${wf.metadata.uid} {"type":"workflowSubmitted"}`]);
  });

  it('a name held by a live workflow is refused, and nothing of the refused one is left', async () => {
    const shard = freshShard();
    const first = workflow('taken');
    await store.create(first, shard);
    const second = workflow('taken');
    expect(await codeOf(store.create(second, shard))).toBe('EXISTS');
    expect(await store.uidOf('default', 'taken')).toBe(first.metadata.uid);
    expect(await keysOf(second.metadata.uid!)).toEqual([]);
    expect(await redis.zcard(store.keys.shard(shard).submitting)).toBe(0);
    expect(await announced(shard)).toHaveLength(1);
  });

  it('submitting the same workflow again (same uid) never resets it', async () => {
    const shard = freshShard();
    const wf = workflow('again');
    const uid = wf.metadata.uid!;
    await store.create(wf, shard);
    await store.apply({ uid, epoch: 1, version: 0, status: { phase: 'Running' }, nodes: [], commands: [] });
    await store.create(wf, shard);
    expect((await store.load(uid))?.workflow.status.phase).toBe('Running');
    expect((await store.load(uid))?.version).toBe(1);
  });
});

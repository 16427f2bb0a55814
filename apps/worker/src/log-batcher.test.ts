// Log bounds on the real Redis: bytes per node (the batcher) and bytes per workflow (the store).
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Keys, LogStore } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';
import { LogBatcher } from './log-batcher.js';

const prefix = uniquePrefix();
const redis = new Redis(REDIS_URL);
const keys = new Keys(prefix);
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

/** Lines are kept only for a workflow that exists: each test's gets a record. */
const stored = (uid: string) => redis.hset(keys.workflow(uid).record, { resource: '{}', status: '{}', version: 0, epoch: 0, shard: 0 });

const lines = async (store: LogStore, uid: string) => (await store.read(uid, '0')).lines.map(({ nodeId, stream, line }) => `${nodeId} ${stream} ${line}`);

describe('node logs', () => {
  it("are cut at the node's byte limit, counted in UTF-8, with a notice", async () => {
    await stored('wf-node');
    const store = new LogStore(redis, keys);
    const batcher = new LogBatcher(store, 'wf-node', 'a', 10);
    for (const line of ['1234', 'éé', 'xyz', 'more', 'and more']) batcher.push('stdout', line);
    await batcher.flush();
    expect(await lines(store, 'wf-node')).toEqual(['a stdout 1234', 'a stdout éé', "a stderr [regatta] this node's logs reached 10 bytes; later lines are dropped"]);
  });

  it("are cut at the workflow's byte limit across nodes and batches, with one notice", async () => {
    await stored('wf-all');
    const store = new LogStore(redis, keys, 12);
    const a = new LogBatcher(store, 'wf-all', 'a');
    const b = new LogBatcher(store, 'wf-all', 'b');
    a.push('stdout', 'aaaaa');
    await a.flush();
    b.push('stdout', 'bbbbb');
    b.push('stdout', 'bbb');
    await b.flush();
    a.push('stdout', 'late');
    await a.flush();
    expect(await lines(store, 'wf-all')).toEqual(['a stdout aaaaa', 'b stdout bbbbb', "b stderr [regatta] this workflow's logs reached 12 bytes; later lines are dropped"]);
  });
});

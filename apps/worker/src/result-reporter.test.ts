// Reports made in the same turn of the event loop leave as one stream entry per shard, and each
// resolves only once that entry is stored (or rejects when it could not be).
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ShardStreams, type ShardEvent } from '@regatta/queue';
import { Keys } from '@regatta/store';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';
import { ResultReporter } from './result-reporter.js';

const prefix = uniquePrefix();
const redis = new Redis(REDIS_URL);
const keys = new Keys(prefix);
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

const finished = (nodeId: string): ShardEvent => ({ type: 'nodeFinished', nodeId, attempt: 0, phase: 'Succeeded' });

describe('result reporter', () => {
  it('sends the reports of one turn as one entry per shard, stored before they resolve', async () => {
    const reporter = new ResultReporter(new ShardStreams(redis, (shard) => keys.shard(shard).events));
    const stored: number[] = [];
    const reports = Array.from({ length: 50 }, (_, i) =>
      reporter.report(i % 2, `uid-${i}`, finished(`n${i}`)).then(async () => {
        stored.push(await redis.xlen(keys.shard(i % 2).events));
      }),
    );
    await Promise.all(reports);
    expect(stored.every((length) => length === 1)).toBe(true);
    for (const shard of [0, 1]) {
      const entries = await redis.xrange(keys.shard(shard).events, '-', '+');
      expect(entries).toHaveLength(1);
      const [field, batch] = entries[0]![1];
      expect(field).toBe('b');
      const events = JSON.parse(batch!) as [string, { nodeId: string }][];
      expect(events.map(([uid]) => uid)).toEqual(Array.from({ length: 25 }, (_, k) => `uid-${2 * k + shard}`));
    }
    // A later turn's reports make a new entry.
    await reporter.report(0, 'uid-late', finished('late'));
    expect(await redis.xlen(keys.shard(0).events)).toBe(2);
  });

  it('rejects every report of a batch that could not be stored', async () => {
    const broken = `${prefix}:not-a-stream`;
    await redis.set(broken, 'x');
    const reporter = new ResultReporter(new ShardStreams(redis, () => broken));
    const results = await Promise.allSettled([reporter.report(0, 'u1', finished('n1')), reporter.report(0, 'u2', finished('n2'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/WRONGTYPE/);
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { WorkflowStore } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { SubmissionSweep } from './submission-sweep.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

describe('the submission sweep', () => {
  it('announces, on the shards it owns only, a workflow whose submitter died after storing its record and name', async () => {
    const store = new WorkflowStore(redis, prefix);
    const submitters = [0, 1].map((shard) => {
      const workflow: Workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: `died-${shard}`, namespace: 'default', uid: randomUUID() }, spec: { entrypoint: 'main', templates: [] } };
      return { shard, workflow };
    });
    for (const { shard, workflow } of submitters) {
      await store.submissions.begin(workflow.metadata.uid!, shard);
      await store.submissions.writeRecord(workflow, shard);
      await store.submissions.claimName('default', workflow.metadata.name!, workflow.metadata.uid!);
    }
    const metrics = new SchedulerMetrics();
    const sweep = new SubmissionSweep(store.submissions, () => [1], createLogger('sweep-test', { level: 'silent' }), metrics);
    await sweep.runOnce(-1);
    expect(await redis.xlen(store.keys.shard(0).events)).toBe(0);
    const [entry] = await redis.xrange(store.keys.shard(1).events, '-', '+');
    expect(entry?.[1]).toEqual(['u', submitters[1]!.workflow.metadata.uid, 'e', '{"type":"workflowSubmitted"}']);
    expect((await metrics.submissionsSettled.get()).values).toMatchObject([{ labels: { outcome: 'announced' }, value: 1 }]);
  });
});

// The CronWorkflow checks shared by the CLI and the server, against a real Redis for the references.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCronWorkflows } from '@regatta/spec';
import { cronExpressionIssues, cronWorkflowSpecIssues } from './cron-checks.js';
import { RedisWorkflowClient } from './redis-client.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;
let client: RedisWorkflowClient;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  client = new RedisWorkflowClient({ redis, url: REDIS_URL, prefix, shards: 2 });
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

const cron = (spec: string) =>
  loadCronWorkflows(`apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: nightly, namespace: argo}\nspec:\n  schedules: ["0 2 * * *"]\n${spec}`, 'c.yaml')[0]!;

describe('CronWorkflow checks', () => {
  it('finds an expression that does not parse in the stop strategy or in when', () => {
    const issues = cronExpressionIssues(cron(`  when: "{{= 1 + }}"\n  stopStrategy: {expression: "cronworkflow.failed >"}\n  workflowSpec: {entrypoint: a, templates: [{name: a, suspend: {}}]}\n`));
    expect(issues.map((i) => i.path)).toEqual(['spec.stopStrategy.expression', 'spec.when']);
  });

  it('checks the workflowSpec as a submitted child, placing issues under spec.workflowSpec', async () => {
    expect(await cronWorkflowSpecIssues(client, cron(`  workflowSpec: {entrypoint: a, templates: [{name: a, suspend: {}}]}\n`), 2)).toEqual([]);
    const missing = await cronWorkflowSpecIssues(client, cron(`  workflowSpec: {workflowTemplateRef: {name: absent}}\n`), 2);
    expect(missing).toEqual([{ path: 'spec.workflowSpec.workflowTemplateRef', message: expect.stringContaining('absent') }]);
  });
});

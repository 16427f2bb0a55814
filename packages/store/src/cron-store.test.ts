import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCronWorkflows } from '@regatta/spec';
import { CronStore } from './cron-store.js';
import { ResourceStore } from './resource-store.js';

const prefix = `regatta-test-${randomUUID().slice(0, 8)}`;
let redis: Redis;
let crons: CronStore;
let resources: ResourceStore;

const YAML = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: ${name}
spec:
  schedules: ["@every 2s"]
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: busybox, command: [echo, hi]}
`;

beforeAll(async () => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  crons = new CronStore(redis, prefix);
  resources = new ResourceStore(redis, prefix);
  const loaded = [...loadCronWorkflows(YAML('nightly'), 'a.yaml'), ...loadCronWorkflows(YAML('hourly'), 'b.yaml')];
  for (const cron of loaded) cron.metadata.namespace = 'default';
  await resources.create('CronWorkflow', loaded);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('the CronWorkflow store', () => {
  it('lists every CronWorkflow', async () => {
    expect((await crons.all()).map((c) => c.metadata.name).sort()).toEqual(['hourly', 'nightly']);
  });

  it('gives a tick to exactly one of many claimants, and never an older tick after it', async () => {
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => crons.claimTick('default', 'nightly', 10_000)));
    expect(outcomes.filter((o) => o === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(19);
    expect(await crons.claimTick('default', 'nightly', 8_000)).toBe('handled');
    expect(await crons.claimTick('default', 'nightly', 12_000)).toBe('claimed');
    expect(await crons.claimTick('default', 'gone', 12_000)).toBe('gone');
    expect((await crons.state('default', 'nightly')).handledTick).toBe(12_000);
  });

  it('counts an ended child once, keeps the history by outcome and trims the oldest beyond the limit', async () => {
    for (let i = 1; i <= 4; i++) await crons.addChild('default', 'hourly', { uid: `u${i}`, name: `hourly-${i}` }, `2026-01-01T00:00:0${i}Z`);
    let state = await crons.state('default', 'hourly');
    expect(state.active).toHaveLength(4);
    expect(state.lastScheduledTime).toBe('2026-01-01T00:00:04Z');
    const ends = await Promise.all([1, 1, 2, 3].map((i) => crons.endChild('default', 'hourly', { uid: `u${i}`, name: `hourly-${i}` }, 'succeeded', i)));
    expect(ends).toEqual([true, false, true, true]);
    await crons.endChild('default', 'hourly', { uid: 'u4', name: 'hourly-4' }, 'failed', 4);
    state = await crons.state('default', 'hourly');
    expect(state).toMatchObject({ succeeded: 3, failed: 1, active: [] });
    const [first, second] = await Promise.all([crons.trimHistory('default', 'hourly', 'succeeded', 1), crons.trimHistory('default', 'hourly', 'succeeded', 1)]);
    expect([...first!, ...second!].map((c) => c.name).sort()).toEqual(['hourly-1', 'hourly-2']);
    expect(await crons.trimHistory('default', 'hourly', 'failed', 1)).toEqual([]);
    const withStatus = await crons.withStatus((await resources.get('CronWorkflow', 'default', 'hourly'))!);
    expect(withStatus.status).toMatchObject({ succeeded: 3, failed: 1, phase: 'Active', lastScheduledTime: '2026-01-01T00:00:04Z', active: [] });
    expect((await crons.remove('default', 'hourly')).map((c) => c.name).sort()).toEqual(['hourly-3', 'hourly-4']);
    expect(await crons.state('default', 'hourly')).toEqual({ succeeded: 0, failed: 0, phase: 'Active', active: [], pending: [] });
  });
});

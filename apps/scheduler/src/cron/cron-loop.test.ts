import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCronWorkflows, type Workflow } from '@regatta/spec';
import { CronStore, Keys, ResourceStore } from '@regatta/store';
import { createLogger, SchedulerMetrics } from '@regatta/telemetry';
import { until } from '../../../../test/support/until.js';
import { CronLoop } from './cron-loop.js';

const prefix = `regatta-test-${randomUUID().slice(0, 8)}`;
const keys = new Keys(prefix);
let redis: Redis;
const logger = createLogger('cron-loop-test', { level: 'silent' });

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  const found = await redis.keys(`${prefix}:*`);
  if (found.length) await redis.del(...found);
  redis.disconnect();
});

const at = (iso: string) => Date.parse(iso);

async function createCron(name: string, options: string, created = '2026-01-01T00:00:00Z'): Promise<void> {
  const [cron] = loadCronWorkflows(
    `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: ${name}, namespace: default}
spec:
${options}
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: busybox, command: [echo, hi]}
`,
    'cron.yaml',
  );
  await new ResourceStore(redis, prefix).create('CronWorkflow', [cron!]);
  // The store stamps the creation time; the test's clock starts at `created`.
  const stored = JSON.parse((await redis.hget(keys.resources.cronWorkflows, `default/${name}`))!);
  stored.metadata.creationTimestamp = created;
  await redis.hset(keys.resources.cronWorkflows, `default/${name}`, JSON.stringify(stored));
}

/** A stand-in for the submission path: records the workflow with a phase the test sets. */
function recordingSubmit(submitted: Workflow[]) {
  return async (workflow: Workflow, uid: string) => {
    // Each test's CronWorkflow; the others' stay stored and fire too.
    if (submitted.length === 0 || submitted[0]!.metadata.labels?.['workflows.argoproj.io/cron-workflow'] === workflow.metadata.labels?.['workflows.argoproj.io/cron-workflow']) submitted.push(workflow);
    await redis.hset(keys.workflow(uid).record, 'status', JSON.stringify({ phase: 'Running' }), 'shard', '0');
    await redis.hset(keys.names('default'), workflow.metadata.name!, uid);
  };
}

async function setPhase(name: string, phase: string): Promise<void> {
  const uid = (await redis.hget(keys.names('default'), name))!;
  await redis.hset(keys.workflow(uid).record, 'status', JSON.stringify({ phase }));
}

describe('the cron loop', () => {
  it('fires each tick once with several schedulers, driven by the clock', async () => {
    await createCron('every', '  schedules: ["* * * * *"]');
    const submitted: Workflow[] = [];
    let now = at('2026-01-01T00:00:30Z');
    const loops = [1, 2, 3].map(() => new CronLoop({ redis, prefix, logger, submit: recordingSubmit(submitted), now: () => now }));
    const pass = () => Promise.all(loops.map((loop) => loop.runOnce()));
    await pass();
    expect(submitted).toHaveLength(0);
    for (const second of ['01:00.2', '01:00.9', '01:01.5', '02:00.1', '02:03']) {
      now = at(`2026-01-01T00:${second}Z`);
      await pass();
    }
    expect(submitted.map((w) => w.metadata.name)).toEqual(['every-1767225660', 'every-1767225720']);
    expect(submitted[0]?.metadata.annotations).toEqual({ 'workflows.argoproj.io/scheduled-time': '2026-01-01T00:01:00Z' });
    const state = await new CronStore(redis, prefix).state('default', 'every');
    expect(state.lastScheduledTime).toBe('2026-01-01T00:02:00Z');
    expect(state.active).toHaveLength(2);
  });

  it('Forbid skips while a workflow is active and counts it; ended workflows are counted and trimmed to the history limit', async () => {
    await createCron('forbid', '  schedules: ["* * * * *"]\n  concurrencyPolicy: Forbid\n  successfulJobsHistoryLimit: 1');
    const submitted: Workflow[] = [];
    const metrics = new SchedulerMetrics();
    let now = at('2026-01-01T00:01:00Z');
    const loop = new CronLoop({ redis, prefix, logger, submit: recordingSubmit(submitted), now: () => now, metrics });
    await loop.runOnce();
    now = at('2026-01-01T00:02:00Z');
    await loop.runOnce();
    expect(submitted.map((w) => w.metadata.name)).toEqual(['forbid-1767225660']);
    expect((await metrics.cronPolicy.get()).values).toEqual([{ value: 1, labels: { name: 'forbid', namespace: 'default', concurrency_policy: 'Forbid' } }]);
    await setPhase('forbid-1767225660', 'Succeeded');
    now = at('2026-01-01T00:03:00Z');
    await loop.runOnce();
    await setPhase('forbid-1767225780', 'Succeeded');
    now = at('2026-01-01T00:04:00Z');
    await loop.runOnce();
    expect(submitted.map((w) => w.metadata.name)).toEqual(['forbid-1767225660', 'forbid-1767225780', 'forbid-1767225840']);
    now = at('2026-01-01T00:04:01Z');
    await loop.runOnce();
    // Two succeeded, one kept: the oldest is deleted.
    expect(await redis.hget(keys.names('default'), 'forbid-1767225660')).toBeNull();
    expect(await redis.hget(keys.names('default'), 'forbid-1767225780')).not.toBeNull();
    expect(await new CronStore(redis, prefix).state('default', 'forbid')).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await metrics.cronTriggered.get()).values).toContainEqual({ value: 3, labels: { name: 'forbid', namespace: 'default' } });
  });

  it('after an outage runs only the most recent missed tick, and only within startingDeadlineSeconds', async () => {
    await createCron('late', '  schedules: ["*/5 * * * *"]\n  startingDeadlineSeconds: 120');
    const submitted: Workflow[] = [];
    let now = at('2026-01-01T00:00:01Z');
    const loop = new CronLoop({ redis, prefix, logger, submit: recordingSubmit(submitted), now: () => now });
    await loop.runOnce();
    now = at('2026-01-01T00:21:30Z');
    await loop.runOnce();
    now = at('2026-01-01T00:28:00Z');
    await loop.runOnce();
    expect(submitted.map((w) => w.metadata.annotations?.['workflows.argoproj.io/scheduled-time'])).toEqual(['2026-01-01T00:00:00Z', '2026-01-01T00:20:00Z']);
  });

  it('a stop strategy that holds stops the CronWorkflow', async () => {
    await createCron('stopper', '  schedules: ["* * * * *"]\n  stopStrategy:\n    expression: "cronworkflow.succeeded >= 1"');
    const submitted: Workflow[] = [];
    let now = at('2026-01-01T00:01:00Z');
    const loop = new CronLoop({ redis, prefix, logger, submit: recordingSubmit(submitted), now: () => now });
    await loop.runOnce();
    await setPhase('stopper-1767225660', 'Succeeded');
    now = at('2026-01-01T00:02:00Z');
    await loop.runOnce();
    now = at('2026-01-01T00:03:00Z');
    await loop.runOnce();
    expect(submitted).toHaveLength(1);
    expect((await new CronStore(redis, prefix).state('default', 'stopper')).phase).toBe('Stopped');
  });

  it('keeps why a submission was refused as a SubmissionError condition, until one succeeds', async () => {
    await createCron('refused', '  schedules: ["* * * * *"]');
    const submitted: Workflow[] = [];
    const record = recordingSubmit(submitted);
    let refuse = true;
    const submit = async (workflow: Workflow, uid: string) => {
      if (refuse && workflow.metadata.name?.startsWith('refused-')) throw new Error('WorkflowTemplate "gone" not found');
      return record(workflow, uid);
    };
    let now = at('2026-01-01T00:01:00Z');
    const loop = new CronLoop({ redis, prefix, logger, submit, now: () => now });
    await loop.runOnce();
    const crons = new CronStore(redis, prefix);
    const cron = (await new ResourceStore(redis, prefix).get('CronWorkflow', 'default', 'refused'))!;
    expect((await crons.withStatus(cron)).status?.conditions).toEqual([{ type: 'SubmissionError', status: 'True', message: 'Failed to submit Workflow: WorkflowTemplate "gone" not found' }]);
    refuse = false;
    now = at('2026-01-01T00:02:00Z');
    await loop.runOnce();
    expect((await crons.withStatus(cron)).status?.conditions).toBeUndefined();
  });

  it('a scheduler that dies after claiming a tick, before submitting: a later pass submits the child with the uid claimed', async () => {
    await createCron('died-before', '  schedules: ["* * * * *"]');
    const submitted: Workflow[] = [];
    let now = at('2026-01-01T00:01:00Z');
    // The first scheduler's submission never ends: it died there (the other tests' CronWorkflows go on).
    const others = recordingSubmit([]);
    const dying = new CronLoop({ redis, prefix, logger, submit: (workflow, uid) => (workflow.metadata.name!.startsWith('died-before-') ? new Promise<void>(() => {}) : others(workflow, uid)), now: () => now });
    void dying.runOnce();
    const crons = new CronStore(redis, prefix);
    await until('the tick claimed', async () => (await crons.state('default', 'died-before')).active.length === 1);
    const [claimed] = (await crons.state('default', 'died-before')).active;
    const uids: string[] = [];
    const record = recordingSubmit(submitted);
    const loop = new CronLoop({ redis, prefix, logger, submit: (workflow, uid) => (uids.push(uid), record(workflow, uid)), now: () => now });
    await loop.runOnce();
    expect(submitted).toHaveLength(0);
    now = at('2026-01-01T00:01:11Z');
    await loop.runOnce();
    expect(submitted.map((w) => w.metadata.name)).toEqual(['died-before-1767225660']);
    expect(uids).toEqual([claimed!.uid]);
    expect(claimed!.name).toBe('died-before-1767225660');
    const state = await crons.state('default', 'died-before');
    expect(state.pending).toEqual([]);
    expect(state.active).toEqual([claimed]);
    expect(state.lastScheduledTime).toBe('2026-01-01T00:01:00Z');
  });

  it('a scheduler that dies after submitting, before recording it: the child stays tracked, so Forbid holds and it is counted', async () => {
    await createCron('died-after', '  schedules: ["* * * * *"]\n  concurrencyPolicy: Forbid');
    const submitted: Workflow[] = [];
    const record = recordingSubmit(submitted);
    let now = at('2026-01-01T00:01:00Z');
    // Stores the workflow, then dies before anything after the submission runs.
    const others = recordingSubmit([]);
    const dies = (workflow: Workflow, uid: string) => record(workflow, uid).then(() => new Promise<void>(() => {}));
    const dying = new CronLoop({ redis, prefix, logger, submit: (workflow, uid) => (workflow.metadata.name!.startsWith('died-after-') ? dies(workflow, uid) : others(workflow, uid)), now: () => now });
    void dying.runOnce();
    await until('the child stored', async () => submitted.length === 1);
    const loop = new CronLoop({ redis, prefix, logger, submit: record, now: () => now });
    now = at('2026-01-01T00:02:00Z');
    await loop.runOnce();
    // Resubmitted as the same uid (harmless), and the next tick skipped: the first child is still running.
    expect(submitted.map((w) => w.metadata.name)).toEqual(['died-after-1767225660', 'died-after-1767225660']);
    await setPhase('died-after-1767225660', 'Succeeded');
    now = at('2026-01-01T00:02:30Z');
    await loop.runOnce();
    const state = await new CronStore(redis, prefix).state('default', 'died-after');
    expect(state).toMatchObject({ succeeded: 1, active: [], pending: [] });
  });
});

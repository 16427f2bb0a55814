import { describe, expect, it } from 'vitest';
import { loadCronWorkflows, type CronWorkflow } from '@regatta/spec';
import type { CronState } from '@regatta/store';
import { historyLimits, latestTick, nextTick, planCron } from './cron-planner.js';

const at = (iso: string) => Date.parse(iso);

/** A CronWorkflow from the YAML a user writes, created at `created`. */
function cron(options: string, created = '2026-01-01T00:00:00Z'): CronWorkflow {
  const [loaded] = loadCronWorkflows(
    `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: report
  namespace: default
  labels: {team: data}
spec:
${options
  .trim()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: busybox, command: [echo, hi]}
`,
    'cron.yaml',
  );
  loaded!.metadata.creationTimestamp = created;
  return loaded!;
}

const fresh: CronState = { succeeded: 0, failed: 0, phase: 'Active', active: [], pending: [] };
const state = (more: Partial<CronState>): CronState => ({ ...fresh, ...more });
const running = [{ uid: 'u1', name: 'report-1767225600' }];

describe('which tick is due', () => {
  it('fires a minute schedule at the minute, once', () => {
    const c = cron('schedules: ["* * * * *"]');
    expect(planCron(c, fresh, at('2026-01-01T00:05:00.300Z'))).toEqual({ action: 'fire', tick: at('2026-01-01T00:05:00Z'), replace: [] });
    expect(planCron(c, state({ handledTick: at('2026-01-01T00:05:00Z') }), at('2026-01-01T00:05:01Z'))).toEqual({ action: 'none' });
    expect(planCron(c, state({ handledTick: at('2026-01-01T00:05:00Z') }), at('2026-01-01T00:06:00Z'))).toMatchObject({ action: 'fire', tick: at('2026-01-01T00:06:00Z') });
  });

  it('takes the latest tick of several schedules', () => {
    const c = cron('schedules: ["0 * * * *", "*/20 * * * *"]');
    expect(latestTick(c, at('2026-01-01T05:47:00Z'))).toBe(at('2026-01-01T05:40:00Z'));
    expect(nextTick(c, at('2026-01-01T05:47:00Z'))).toBe(at('2026-01-01T06:00:00Z'));
  });

  it("reads v3's schedule, @every and @hourly", () => {
    expect(latestTick(cron('schedule: "@hourly"'), at('2026-01-01T05:47:00Z'))).toBe(at('2026-01-01T05:00:00Z'));
    const every = cron('schedules: ["@every 2s"]');
    expect(planCron(every, fresh, at('2026-01-01T00:00:07.100Z'))).toMatchObject({ action: 'fire', tick: at('2026-01-01T00:00:06Z') });
    expect(planCron(every, state({ handledTick: at('2026-01-01T00:00:06Z') }), at('2026-01-01T00:00:07.900Z'))).toEqual({ action: 'none' });
  });

  it('reads the schedule in its time zone, across a daylight-saving change', () => {
    const c = cron('schedules: ["30 2 * * *"]\ntimezone: America/New_York');
    // 02:30 does not exist on 2026-03-08 in New York: that day has no tick.
    expect(latestTick(c, at('2026-03-08T12:00:00Z'))).toBe(at('2026-03-07T07:30:00Z'));
    expect(nextTick(c, at('2026-03-08T00:00:00Z'))).toBe(at('2026-03-09T06:30:00Z'));
    const nine = cron('schedules: ["0 9 * * *"]\ntimezone: Europe/Berlin');
    expect(nextTick(nine, at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-29T07:00:00Z'));
    expect(nextTick(nine, at('2026-03-27T12:00:00Z'))).toBe(at('2026-03-28T08:00:00Z'));
  });

  it('does not fire a tick from before the CronWorkflow was created', () => {
    const c = cron('schedules: ["0 * * * *"]', '2026-01-01T05:30:00Z');
    expect(planCron(c, fresh, at('2026-01-01T05:30:05Z'))).toEqual({ action: 'none' });
  });

  it('leaves a suspended CronWorkflow alone', () => {
    expect(planCron(cron('schedules: ["* * * * *"]\nsuspend: true'), fresh, at('2026-01-01T00:05:00Z'))).toEqual({ action: 'none' });
  });
});

describe('startingDeadlineSeconds', () => {
  it('without one, a tick missed during an outage is skipped: only the most recent is considered', () => {
    const c = cron('schedules: ["*/5 * * * *"]');
    const plan = planCron(c, state({ handledTick: at('2026-01-01T00:00:00Z') }), at('2026-01-01T00:17:00Z'));
    expect(plan).toMatchObject({ action: 'skip', tick: at('2026-01-01T00:15:00Z'), reason: expect.stringContaining('startingDeadlineSeconds is not set') });
  });

  it('with one, the most recent missed tick runs if within the deadline, else is skipped', () => {
    const c = cron('schedules: ["*/5 * * * *"]\nstartingDeadlineSeconds: 300');
    const handled = state({ handledTick: at('2026-01-01T00:00:00Z') });
    expect(planCron(c, handled, at('2026-01-01T00:17:00Z'))).toEqual({ action: 'fire', tick: at('2026-01-01T00:15:00Z'), replace: [] });
    expect(planCron(c, handled, at('2026-01-01T00:19:59Z'))).toMatchObject({ action: 'fire', tick: at('2026-01-01T00:15:00Z') });
    expect(planCron(cron('schedules: ["*/5 * * * *"]\nstartingDeadlineSeconds: 60'), handled, at('2026-01-01T00:17:00Z'))).toMatchObject({ action: 'skip', tick: at('2026-01-01T00:15:00Z') });
  });
});

describe('concurrencyPolicy', () => {
  const now = at('2026-01-01T00:06:00Z');
  it('Allow starts another beside an active one', () => {
    expect(planCron(cron('schedules: ["* * * * *"]'), state({ active: running }), now)).toEqual({ action: 'fire', tick: now, replace: [] });
  });
  it('Forbid skips the tick while one is active', () => {
    expect(planCron(cron('schedules: ["* * * * *"]\nconcurrencyPolicy: Forbid'), state({ active: running }), now)).toMatchObject({ action: 'skip', tick: now, policy: 'Forbid' });
    expect(planCron(cron('schedules: ["* * * * *"]\nconcurrencyPolicy: Forbid'), fresh, now)).toMatchObject({ action: 'fire' });
  });
  it('Replace terminates the active ones, then starts', () => {
    expect(planCron(cron('schedules: ["* * * * *"]\nconcurrencyPolicy: Replace'), state({ active: running }), now)).toEqual({ action: 'fire', tick: now, replace: running, policy: 'Replace' });
  });
});

describe('when and stopStrategy', () => {
  const now = at('2026-01-01T00:10:00Z');
  const when = 'when: "{{= cronworkflow.lastScheduledTime == nil || (now() - cronworkflow.lastScheduledTime).Seconds() > 360 }}"';
  it("evaluates Argo's example: first run, then not again within 6 minutes", () => {
    const c = cron(`schedules: ["* * * * *"]\n${when}`);
    expect(planCron(c, fresh, now)).toMatchObject({ action: 'fire' });
    expect(planCron(c, state({ lastScheduledTime: '2026-01-01T00:05:00Z' }), now)).toMatchObject({ action: 'skip', reason: expect.stringContaining('evaluated false') });
    expect(planCron(c, state({ lastScheduledTime: '2026-01-01T00:03:00Z' }), now)).toMatchObject({ action: 'fire' });
  });
  it('substitutes simple tags of the cron', () => {
    expect(planCron(cron('schedules: ["* * * * *"]\nwhen: "{{cronworkflow.labels.team}} == data"'), fresh, now)).toMatchObject({ action: 'fire' });
    expect(planCron(cron('schedules: ["* * * * *"]\nwhen: "{{cronworkflow.name}} == other"'), fresh, now)).toMatchObject({ action: 'skip' });
  });
  it('a when that fails to evaluate skips the tick, saying why', () => {
    expect(planCron(cron('schedules: ["* * * * *"]\nwhen: "1 +"'), fresh, now)).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^when: /) });
  });
  it('stops once the stop strategy holds', () => {
    const c = cron('schedules: ["* * * * *"]\nstopStrategy:\n  expression: "cronworkflow.failed >= 2"');
    expect(planCron(c, state({ failed: 1 }), now)).toMatchObject({ action: 'fire' });
    expect(planCron(c, state({ failed: 2 }), now)).toEqual({ action: 'stop' });
    expect(planCron(c, state({ failed: 2, phase: 'Stopped' }), now)).toEqual({ action: 'none' });
  });
  it('a stop strategy that is not a condition is reported, and scheduling goes on', () => {
    const c = cron('schedules: ["* * * * *"]\nstopStrategy:\n  expression: "cronworkflow.failed"');
    expect(planCron(c, fresh, now)).toMatchObject({ action: 'fire', warning: expect.stringContaining('boolean') });
  });
});

describe('history limits', () => {
  it("default to Argo's 3 succeeded and 1 failed", () => {
    expect(historyLimits(cron('schedules: ["* * * * *"]'))).toEqual({ succeeded: 3, failed: 1 });
    expect(historyLimits(cron('schedules: ["* * * * *"]\nsuccessfulJobsHistoryLimit: 0\nfailedJobsHistoryLimit: 4'))).toEqual({ succeeded: 0, failed: 4 });
  });
});

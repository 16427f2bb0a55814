import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from './cron-schedule.js';
import { cronChildName, workflowFromCron } from './cron-workflow.js';
import { SpecError } from './errors.js';
import { loadCronWorkflows } from './load-resources.js';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof SpecError) return error.message;
    throw error;
  }
  throw new Error('expected a SpecError');
}

const CRON = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: hello-world
spec:
  schedules:
    - "* * * * *"
  timezone: "America/Los_Angeles"
  concurrencyPolicy: "Replace"
  successfulJobsHistoryLimit: 4
  workflowMetadata:
    labels: {team: a}
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: busybox
          command: [echo]
          args: ["Scheduled on: {{workflow.scheduledTime}}"]
`;

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('loading CronWorkflows', () => {
  it('takes the options Argo documents', () => {
    const [cron] = loadCronWorkflows(CRON, 'cron.yaml');
    expect(cron?.spec.schedules).toEqual(['* * * * *']);
    expect(cron?.spec.concurrencyPolicy).toBe('Replace');
    expect(cron?.spec.workflowSpec.entrypoint).toBe('main');
  });

  it("accepts v3's singular schedule", () => {
    const [cron] = loadCronWorkflows(CRON.replace('schedules:\n    - "* * * * *"', 'schedule: "@hourly"'), 'cron.yaml');
    expect(cron?.spec.schedule).toBe('@hourly');
  });

  it('refuses a bad cron expression, naming the line and the schedule', () => {
    const message = messageOf(() => loadCronWorkflows(CRON.replace('"* * * * *"', '"61 * * * *"'), 'cron.yaml'));
    expect(message).toMatch(/^cron\.yaml:7:7: spec\.schedules\[0\]: invalid cron schedule "61 \* \* \* \*"/);
  });

  it('refuses six fields and an unknown descriptor, as robfig/cron does', () => {
    expect(messageOf(() => loadCronWorkflows(CRON.replace('"* * * * *"', '"0 * * * * *"'), 'c.yaml'))).toContain('expected exactly 5 fields');
    expect(messageOf(() => loadCronWorkflows(CRON.replace('"* * * * *"', '"@reboot"'), 'c.yaml'))).toContain('unrecognized descriptor');
    expect(messageOf(() => loadCronWorkflows(CRON.replace('"* * * * *"', '"0 0 L * *"'), 'c.yaml'))).toContain('failed to parse "L"');
  });

  it('refuses an unknown time zone', () => {
    expect(messageOf(() => loadCronWorkflows(CRON.replace('America/Los_Angeles', 'Mars/Olympus'), 'c.yaml'))).toMatch(/c\.yaml:8:\d+: spec\.timezone: unknown time zone "Mars\/Olympus"/);
  });

  it('places issues of the workflow spec under spec.workflowSpec', () => {
    const message = messageOf(() => loadCronWorkflows(CRON.replace('entrypoint: main', 'entrypoint: missing'), 'c.yaml'));
    expect(message).toMatch(/c\.yaml:\d+:\d+: spec\.workflowSpec\.entrypoint: .*missing/);
  });

  it('refuses bad options', () => {
    const message = messageOf(() => loadCronWorkflows(CRON.replace('"Replace"', 'Sometimes').replace('successfulJobsHistoryLimit: 4', 'successfulJobsHistoryLimit: -1'), 'c.yaml'));
    expect(message).toContain('spec.concurrencyPolicy: must be one of Allow, Forbid, Replace');
    expect(message).toContain('spec.successfulJobsHistoryLimit: must be a whole number');
  });

  it('refuses a name too long for its children', () => {
    expect(messageOf(() => loadCronWorkflows(CRON.replace('name: hello-world', `name: ${'a'.repeat(53)}`), 'c.yaml'))).toContain('at most 52 characters');
  });
});

describe('the child workflow of a tick', () => {
  it('is named for the tick, labelled with the cron and annotated with the scheduled time', () => {
    const [cron] = loadCronWorkflows(CRON, 'cron.yaml');
    const tick = at('2026-01-02T03:04:00Z');
    const child = workflowFromCron(cron!, tick, cronChildName('hello-world', tick));
    expect(child.metadata.name).toBe('hello-world-1767323040');
    expect(child.metadata.labels).toEqual({ team: 'a', 'workflows.argoproj.io/cron-workflow': 'hello-world' });
    expect(child.metadata.annotations).toEqual({ 'workflows.argoproj.io/scheduled-time': '2026-01-02T03:04:00Z' });
    expect(workflowFromCron(cron!, tick).metadata.generateName).toBe('hello-world-');
  });
});

describe('cron schedules', () => {
  it('@every ticks on multiples of the interval since the epoch', () => {
    const every = parseCronSchedule('@every 1m');
    expect(iso(every.latestAtOrBefore(at('2026-01-01T00:00:59Z')))).toBe('2026-01-01T00:00:00.000Z');
    expect(iso(every.nextAfter(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T00:01:00.000Z');
    expect(iso(parseCronSchedule('@every 2s').nextAfter(at('2026-01-01T00:00:01Z')))).toBe('2026-01-01T00:00:02.000Z');
    expect(() => parseCronSchedule('@every soon')).toThrow(/Go duration/);
  });

  it('@hourly and a tick exactly at the time asked', () => {
    const hourly = parseCronSchedule('@hourly', 'UTC');
    expect(iso(hourly.latestAtOrBefore(at('2026-01-01T05:00:00Z')))).toBe('2026-01-01T05:00:00.000Z');
    expect(iso(hourly.latestAtOrBefore(at('2026-01-01T05:59:59Z')))).toBe('2026-01-01T05:00:00.000Z');
    expect(iso(hourly.nextAfter(at('2026-01-01T05:00:00Z')))).toBe('2026-01-01T06:00:00.000Z');
  });

  it('reads the fields in the time zone', () => {
    const nineAm = parseCronSchedule('0 9 * * *', 'America/Los_Angeles');
    expect(iso(nineAm.nextAfter(at('2026-01-01T00:00:00Z')))).toBe('2026-01-01T17:00:00.000Z');
    expect(iso(parseCronSchedule('CRON_TZ=Asia/Tokyo 0 9 * * *').nextAfter(at('2026-01-01T00:00:00Z')))).toBe('2026-01-02T00:00:00.000Z');
  });

  it('skips a wall time that spring-forward removes, as robfig/cron does', () => {
    // 2026-03-08 02:30 does not exist in New York.
    const daily = parseCronSchedule('30 2 * * *', 'America/New_York');
    expect(iso(daily.nextAfter(at('2026-03-07T12:00:00Z')))).toBe('2026-03-09T06:30:00.000Z');
    expect(iso(daily.latestAtOrBefore(at('2026-03-08T12:00:00Z')))).toBe('2026-03-07T07:30:00.000Z');
  });

  it('runs a fixed-hour schedule once in the hour fall-back repeats', () => {
    const daily = parseCronSchedule('30 1 * * *', 'America/New_York');
    expect(iso(daily.nextAfter(at('2026-11-01T00:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(daily.nextAfter(at('2026-11-01T05:30:00Z')))).toBe('2026-11-02T06:30:00.000Z');
  });
});

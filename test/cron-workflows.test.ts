// CronWorkflows through the real CLI against two schedulers and a worker: `cron create` refusing bad
// input, `submit --from cronwf/NAME` running one now, ticks of an `@every 2s` schedule fired once each
// with Argo's names, labels and scheduled time, suspend/resume, history limits, Replace, and delete.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CronWorkflow, Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-cron-'));
const cli = (...args: string[]) => regatta(args, prefix);

beforeAll(() => {
  // Two schedulers: each tick must still run once.
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['worker', '--concurrency', '8'], prefix, { LOG_LEVEL: 'warn' }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const cron = (name: string, spec: string, command = 'args: ["Scheduled on: {{workflow.scheduledTime}}"]\n        command: [echo]') => `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: ${name}
spec:
${spec}
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container:
        image: busybox
        ${command}
`;

async function getCron(name: string): Promise<CronWorkflow> {
  const result = await cli('cron', 'get', name, '-o', 'json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as CronWorkflow;
}

async function workflow(name: string): Promise<Workflow | undefined> {
  const result = await cli('get', name, '-o', 'json');
  return result.code === 0 ? (JSON.parse(result.stdout) as Workflow) : undefined;
}

/** The workflows listed, as `regatta list` prints them: name and phase. */
async function listed(): Promise<{ name: string; phase: string }[]> {
  const lines = (await cli('list')).stdout.trim().split('\n').slice(1);
  return lines.filter(Boolean).map((line) => {
    const [name = '', phase = ''] = line.split(/\s+/);
    return { name, phase };
  });
}

describe('CronWorkflows', () => {
  it('refuses a bad schedule or time zone, naming the place, and stores nothing', async () => {
    const bad = file('bad.yaml', cron('broken', '  schedules: ["* * * *"]\n  timezone: Nowhere/Land'));
    const result = await cli('cron', 'create', bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}:6:15: spec.schedules[0]: invalid cron schedule "* * * *": expected exactly 5 fields`);
    expect(result.stderr).toContain(`${bad}:7:13: spec.timezone: unknown time zone "Nowhere/Land"`);
    expect((await cli('cron', 'list', '-o', 'name')).stdout).toBe('');
    for (const lint of [await cli('cron', 'lint', bad), await cli('lint', bad)]) {
      expect(lint.code).toBe(1);
      expect(lint.stderr).toContain(`${bad}:6:15: spec.schedules[0]`);
    }
    const refers = file('refers.yaml', cron('refers', '  schedules: ["@daily"]').replace(/workflowSpec:[\s\S]*/, 'workflowSpec:\n    workflowTemplateRef: {name: nowhere}\n'));
    const refused = await cli('cron', 'create', refers);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('spec.workflowSpec.workflowTemplateRef: WorkflowTemplate "nowhere" not found in namespace "default"');
  });

  it('submit --from cronwf/NAME runs the workflow now, with its scheduled time, and the cron counts it', async () => {
    const path = file('minutely.yaml', cron('minutely', '  schedules: ["* * * * *"]\n  suspend: true'));
    const created = await cli('cron', 'create', path, '-o', 'name');
    expect(created).toMatchObject({ code: 0, stdout: 'minutely\n' });
    const submitted = await cli('submit', '--from', 'cronwf/minutely');
    expect(submitted.stderr).toBe('');
    const name = submitted.stdout.trim();
    expect(name).toMatch(/^minutely-[a-z0-9]{5}$/);
    const done = await until('the workflow to succeed', async () => {
      const wf = await workflow(name);
      return wf?.status?.phase === 'Succeeded' && wf;
    });
    expect(done.metadata.labels).toMatchObject({ 'workflows.argoproj.io/cron-workflow': 'minutely' });
    const scheduled = done.metadata.annotations?.['workflows.argoproj.io/scheduled-time'];
    expect(scheduled).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await cli('logs', name)).stdout).toContain(`Scheduled on: ${scheduled}`);
    const status = await until('the cron to count it', async () => {
      const c = await getCron('minutely');
      return c.status?.succeeded === 1 && c.status;
    });
    expect(status).toMatchObject({ active: [], phase: 'Active' });
    // Suspended: nothing was scheduled, so there is no lastScheduledTime.
    expect(status.lastScheduledTime).toBeUndefined();
    expect((await cli('cron', 'get', 'minutely')).stdout).toMatch(/Suspended:\s+true[\s\S]*Succeeded:\s+1/);
  });

  it('fires each tick of an @every schedule once, named for the tick; suspend stops it, history limits hold, delete removes its workflows', async () => {
    const path = file('ticker.yaml', cron('ticker', '  schedules: ["@every 2s"]\n  successfulJobsHistoryLimit: 2'));
    expect((await cli('cron', 'create', path)).stdout).toContain('Schedules:');
    // The history limit removes a succeeded workflow two ticks (4 s) later, which a loaded machine's CLI
    // calls can outlast: one found gone before it is read is passed over for the next.
    const { first, child, logs } = await until('a scheduled workflow to succeed, read before the history limit removes it', async () => {
      const found = (await listed()).find((w) => w.name.startsWith('ticker-') && w.phase === 'Succeeded');
      if (!found) return undefined;
      const [read, printed] = await Promise.all([workflow(found.name), cli('logs', found.name)]);
      return read && printed.code === 0 && { first: found, child: read, logs: printed };
    });
    const seconds = Number(/^ticker-(\d+)$/.exec(first.name)?.[1]);
    expect(seconds % 2).toBe(0);
    expect(child!.metadata.annotations?.['workflows.argoproj.io/scheduled-time']).toBe(new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
    expect(child!.metadata.labels?.['workflows.argoproj.io/cron-workflow']).toBe('ticker');
    expect(logs.stdout).toContain(`Scheduled on: ${new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')}`);
    // Several ticks later: consecutive ticks, each once, and no more than the limit of succeeded ones kept.
    const status = await until('four ticks to succeed', async () => {
      const c = await getCron('ticker');
      return (c.status?.succeeded ?? 0) >= 4 && c.status;
    });
    expect(status.lastScheduledTime).toMatch(/Z$/);
    await until('the history limit to hold', async () => {
      const kept = (await listed()).filter((w) => w.name.startsWith('ticker-') && w.phase === 'Succeeded');
      return kept.length <= 2 && kept.length > 0;
    });
    expect((await cli('cron', 'suspend', 'ticker')).stdout).toBe("CronWorkflow 'ticker' suspended\n");
    // A pass that read the spec just before the suspend may still fire one tick.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const frozen = (await getCron('ticker')).status?.lastScheduledTime;
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect((await getCron('ticker')).status?.lastScheduledTime).toBe(frozen);
    expect((await cli('cron', 'resume', 'ticker')).stdout).toBe("CronWorkflow 'ticker' resumed\n");
    await until('a tick after resume', async () => (await getCron('ticker')).status?.lastScheduledTime !== frozen);
    expect((await cli('cron', 'delete', 'ticker')).stdout).toBe("CronWorkflow 'ticker' deleted\n");
    await until('its workflows to be gone', async () => !(await listed()).some((w) => w.name.startsWith('ticker-')), 10_000);
    // Several ticks, two waits of seconds and some thirty CLI calls: ~19 s on an idle 2-core machine.
  }, 60_000);

  it('Replace terminates the active workflow when the next tick starts', async () => {
    const path = file('replacer.yaml', cron('replacer', '  schedules: ["@every 3s"]\n  concurrencyPolicy: Replace', 'command: [sleep, "60"]'));
    expect((await cli('cron', 'create', path)).code).toBe(0);
    const status = await until('a replaced workflow to be counted as failed', async () => {
      const c = await getCron('replacer');
      return (c.status?.failed ?? 0) >= 1 && c.status;
    });
    // The workflow that replaced it runs on (a later tick may be replacing that one in turn).
    expect(status.active?.length).toBeGreaterThanOrEqual(1);
    await cli('cron', 'delete', 'replacer');
  });
});

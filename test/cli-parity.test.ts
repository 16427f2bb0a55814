// The Argo verbs and flags users type daily, through the built `regatta` against real Redis with a
// scheduler and a local worker: submit --wait, several files and stdin, labels; list's filters and
// columns; get's pod names; logs by pod; wait, watch, delete by selection; cron backfill and update;
// template lint and update; version and completion; and bad input refused with the flag named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fnv1a32, type Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-cli-parity-'));
const cli = (...args: string[]) => regatta(args, prefix);

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const workflowYaml = (generateName: string, command: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ${generateName}
${extra}spec:
  entrypoint: main
  arguments:
    parameters: [{name: who, value: world}]
  templates:
  - name: main
    steps:
    - - {name: say, template: say}
  - name: say
    container: {image: busybox, command: [sh, -c, "${command}"]}
`;

const TWO_LINES = workflowYaml('two-', 'echo first line; echo second line');
const FAILS = workflowYaml('fails-', 'echo failing; exit 3');
const PRIORITY = workflowYaml('prio-', 'echo prio').replace('spec:\n', 'spec:\n  priority: 7\n');

/** Names printed one a line, then `<name> <Phase> at <time>` lines: the names, and the wait lines by name. */
function parseWait(stdout: string): { names: string[]; phases: Record<string, string> } {
  const names: string[] = [];
  const phases: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const ended = /^(\S+) (\w+) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/.exec(line);
    if (ended) phases[ended[1]!] = ended[2]!;
    else names.push(line);
  }
  return { names, phases };
}

beforeAll(() => {
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['worker'], prefix, { LOG_LEVEL: 'warn' }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('regatta itself', () => {
  it('prints its version, alone with --short and --version, and build information otherwise', async () => {
    const full = await cli('version');
    expect(full.stdout).toMatch(/^regatta: v\d+\.\d+\.\d+\n {2}BuildDate: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n {2}NodeVersion: v\d+.*\n {2}Platform: \w+\/\w+\n$/);
    expect((await cli('version', '--short')).stdout).toBe(full.stdout.split('\n')[0] + '\n');
    expect((await cli('--version')).stdout).toBe(full.stdout.split('\n')[0] + '\n');
  });

  it('lists every command in its help, and each command has its own help', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['submit', 'list', 'get', 'logs', 'delete', 'watch', 'wait', 'cron', 'template', 'version', 'completion', 'scheduler', 'worker']) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
    }
    const list = await cli('list', '--help');
    for (const flag of ['--selector', '--all-namespaces', '--running', '--completed', '--status', '--since', '--prefix', '--output']) expect(list.stdout).toContain(flag);
  });

  it('generates a bash completion that completes commands, subcommands and flags', async () => {
    const script = (await cli('completion', 'bash')).stdout;
    const complete = async (...words: string[]) => {
      const shell = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _regatta; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const { spawnSync } = await import('node:child_process');
      return spawnSync('bash', ['-c', shell], { encoding: 'utf8' }).stdout.trim().split('\n');
    };
    expect(await complete('regatta', 'wa')).toEqual(['watch', 'wait']);
    expect(await complete('regatta', 'cron', 'ba')).toEqual(['backfill']);
    expect(await complete('regatta', 'list', '--comp')).toEqual(['--completed']);
    expect(await complete('regatta', 'get', 'some-name', '--out')).toEqual(['--output']);
    expect((await cli('completion', 'zsh')).stdout).toContain('bashcompinit');
    expect((await cli('completion', 'fish')).stdout).toContain("complete -c regatta -n '__fish_seen_subcommand_from cron' -a backfill");
    const refused = await cli('completion', 'tcsh');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('unknown shell "tcsh"');
  });
});

describe('submit, wait, list, get, logs, watch, delete', () => {
  let succeeded: string[] = [];
  let failed = '';

  beforeAll(async () => {
    const two = write('two.yaml', TWO_LINES);
    const submitted = await regatta(['submit', two, '-', '-w', '-l', 'team=blue,tier=web', '-p', 'who=you'], prefix, {}, PRIORITY);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const { names, phases } = parseWait(submitted.stdout);
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^two-/);
    expect(names[1]).toMatch(/^prio-/);
    expect(phases).toEqual({ [names[0]!]: 'Succeeded', [names[1]!]: 'Succeeded' });
    succeeded = names;

    const failing = await regatta(['submit', write('fails.yaml', FAILS), '--wait', '-n', 'other'], prefix);
    expect(failing.code).toBe(1);
    const waited = parseWait(failing.stdout);
    failed = waited.names[0]!;
    expect(waited.phases).toEqual({ [failed]: 'Failed' });
  }, 60_000);

  it("lists with Argo's columns, PRIORITY included, and filters by label, phase, age and prefix", async () => {
    const table = await cli('list');
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header!.split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE']);
    expect(rows.map((row) => row.split(/\s+/)[0]).sort()).toEqual([...succeeded].sort());
    expect(rows.find((row) => row.startsWith(succeeded[1]!))).toMatch(/Succeeded\s+\S+\s+\S+\s+7\b/);

    expect((await cli('list', '-l', 'team=blue', '-o', 'name')).stdout.split('\n').filter(Boolean).sort()).toEqual([...succeeded].sort());
    expect((await cli('list', '-l', 'team notin (blue)', '-o', 'name')).stdout).toBe('');
    expect((await cli('list', '--prefix', 'prio-', '-o', 'name')).stdout).toBe(`${succeeded[1]}\n`);
    expect((await cli('list', '--since', '1h', '-o', 'name')).stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect((await cli('list', '--running', '-o', 'name')).stdout).toBe('');
    expect((await cli('list', '-n', 'other', '--status', 'Failed,Error', '-o', 'name')).stdout).toBe(`${failed}\n`);
    expect((await cli('list', '-n', 'other', '--completed', '--no-headers')).stdout).toMatch(new RegExp(`^${failed}\\s+Failed`));
  });

  it('lists every namespace with -A, NAMESPACE first, and adds P/R/C and PARAMETERS with -o wide', async () => {
    const all = await cli('list', '-A', '-o', 'wide');
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'STATUS', 'AGE', 'DURATION', 'PRIORITY', 'MESSAGE', 'P/R/C', 'PARAMETERS']);
    expect(lines.find((line) => line.includes(failed))).toMatch(new RegExp(`^other\\s+${failed}\\s+Failed\\b.*\\b0/0/1\\s+who=world$`));
    expect(lines.find((line) => line.includes(succeeded[0]!))).toMatch(new RegExp(`^default\\s+${succeeded[0]}\\s+Succeeded\\b.*\\b0/0/1\\s+who=you$`));
  });

  it("shows Argo's pod names in get's PODNAME column, and its extra columns with -o wide", async () => {
    const [name] = succeeded;
    const workflow = JSON.parse((await cli('get', name!, '-o', 'json')).stdout) as Workflow;
    expect(workflow.metadata.labels).toMatchObject({ team: 'blue', tier: 'web' });
    const pod = Object.values(workflow.status!.nodes!).find((node) => node.type === 'Pod')!;
    const podName = `${name}-say-${fnv1a32(pod.name)}`;
    const tree = await cli('get', name!);
    expect(tree.stdout).toMatch(/STEP\s+TEMPLATE\s+PODNAME\s+DURATION\s+MESSAGE\n/);
    expect(tree.stdout).toMatch(new RegExp(`✔ say\\s+say\\s+${podName}\\s+\\d+s`));
    const wide = await cli('get', name!, '-o', 'wide');
    expect(wide.stdout).toMatch(/STEP\s+TEMPLATE\s+PODNAME\s+DURATION\s+ARTIFACTS\s+MESSAGE\s+RESOURCESDURATION\s+NODENAME\n/);
    expect((await cli('get', name!, '-o', 'name')).stdout).toBe(`${name}\n`);
    // Argo's @latest: the namespace's most recently created workflow.
    expect((await cli('get', '@latest', '-n', 'other', '-o', 'name')).stdout).toBe(`${failed}\n`);
    const none = await cli('get', '@latest', '-n', 'empty');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('@latest: no workflows in namespace "empty"');
  });

  it('prints log lines after the pod name, and narrows them by pod, container, pattern, tail and time', async () => {
    const [name] = succeeded;
    const all = (await cli('logs', name!)).stdout;
    const podName = all.split(':')[0]!;
    expect(podName).toMatch(new RegExp(`^${name}-say-\\d+$`));
    expect(all).toBe(`${podName}: first line\n${podName}: second line\n`);
    expect((await cli('logs', name!, podName)).stdout).toBe(all);
    expect((await cli('logs', name!, `${name}-say-1`)).stdout).toBe('');
    expect((await cli('logs', name!, '-c', 'main')).stdout).toBe(all);
    expect((await cli('logs', name!, '-c', 'sidecar')).stdout).toBe('');
    expect((await cli('logs', name!, '--tail', '1')).stdout).toBe(`${podName}: second line\n`);
    expect((await cli('logs', name!, '--grep', '^sec')).stdout).toBe(`${podName}: second line\n`);
    expect((await cli('logs', name!, '--since', '1h')).stdout).toBe(all);
    expect((await cli('logs', name!, '--since-time', '2999-01-01T00:00:00Z')).stdout).toBe('');
    expect((await cli('logs', name!, '-f')).stdout).toBe(all);
    expect((await cli('logs', name!, '--timestamps')).stdout).toMatch(new RegExp(`^${podName}: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z first line\n`));
    expect((await cli('logs', '@latest', '-n', 'other')).stdout).toMatch(/: failing\n$/);
  });

  it('waits for workflows that have ended, fails for one that failed or does not exist unless told to pass it over', async () => {
    const ok = await cli('wait', ...succeeded);
    expect(ok.code).toBe(0);
    expect(Object.values(parseWait(ok.stdout).phases)).toEqual(['Succeeded', 'Succeeded']);
    const bad = await cli('wait', failed, '-n', 'other');
    expect(bad.code).toBe(1);
    expect(parseWait(bad.stdout).phases).toEqual({ [failed]: 'Failed' });
    const missing = await cli('wait', 'nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('workflow "nobody" not found in namespace "default"');
    const ignored = await cli('wait', 'nobody', succeeded[0]!, '--ignore-not-found');
    expect(ignored.code).toBe(0);
    expect(Object.keys(parseWait(ignored.stdout).phases)).toEqual([succeeded[0]]);
  });

  it('carries out a control on several workflows, @latest among them', async () => {
    const retried = await cli('retry', '@latest', '-n', 'other');
    expect(retried.stdout).toBe(`workflow ${failed} retried\n`);
    expect((await cli('wait', failed, '-n', 'other')).code).toBe(1);
    const resubmitted = await cli('resubmit', ...succeeded);
    expect(resubmitted.stdout).toMatch(/^Name: two-\S+\nName: prio-\S+\n$/);
    const copies = [...resubmitted.stdout.matchAll(/^Name: (\S+)$/gm)].map(([, name]) => name!);
    expect((await cli('wait', ...copies)).code).toBe(0);
    expect((await cli('delete', ...copies)).stdout).toBe(copies.map((name) => `Workflow '${name}' deleted\n`).join(''));
    const refused = await cli('suspend', failed, 'nobody', '-n', 'other');
    expect(refused.code).toBe(1);
    expect(refused.stderr).not.toBe('');
  }, 60_000);

  it('watches a workflow to its end and prints its get view', async () => {
    const submitted = await regatta(['submit', write('slow.yaml', workflowYaml('slow-', 'sleep 1; echo slept'))], prefix);
    const name = submitted.stdout.trim();
    const watched = await cli('watch', name);
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(new RegExp(`^Name:\\s+${name}\\n`));
    expect(watched.stdout).toMatch(/Status:\s+Succeeded/);
    expect(watched.stdout).toMatch(/PODNAME/);
  }, 30_000);

  it('refuses bad flags, naming them, and changes nothing', async () => {
    const before = (await cli('list', '-A', '-o', 'name')).stdout;
    const cases: Array<[string[], string]> = [
      [['list', '--status', 'Bogus'], 'unknown phase "Bogus"'],
      [['list', '-l', 'team in (blue'], 'is not a label requirement'],
      [['list', '--since', '1x'], '--since expects a duration'],
      [['list', '-o', 'table'], 'unknown output format "table"'],
      [['logs', succeeded[0]!, '--tail', '-1'], '--tail expects a whole number'],
      [['logs', succeeded[0]!, '--grep', '(unclosed'], 'grep:'],
      [['delete'], 'delete needs workflow names'],
      [['delete', succeeded[0]!, '--all'], 'not both'],
      [['delete', '--older', 'soon'], '--older expects a duration'],
      [['submit', '--wait'], 'submit takes files or --from'],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
    expect((await cli('list', '-A', '-o', 'name')).stdout).toBe(before);
  });

  it('deletes by selection: --prefix, -l, --completed and --older, in a namespace or all of them', async () => {
    expect((await cli('delete', '--older', '1d')).stdout).toBe('');
    expect((await cli('delete', '--prefix', 'prio-')).stdout).toBe(`Workflow '${succeeded[1]}' deleted\n`);
    expect((await cli('delete', '-l', 'team=blue')).stdout).toBe(`Workflow '${succeeded[0]}' deleted\n`);
    expect((await cli('delete', '--completed', '-A')).stdout).toMatch(new RegExp(`Workflow '${failed}' deleted\\n`));
    expect((await cli('list', '-A', '-o', 'name')).stdout).toBe('');
  });
});

describe('cron backfill and update, template lint and update', () => {
  const CRON = (hour: number) => `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: nightly}
spec:
  schedules: ["0 ${hour} * * *"]
  suspend: true
  workflowSpec:
    entrypoint: main
    arguments:
      parameters: [{name: day, value: today}]
    templates:
    - name: main
      container: {image: busybox, command: [echo, "{{workflow.parameters.day}}"]}
`;

  it('backfills one workflow per scheduled time, its time as a parameter in the Go layout given', async () => {
    expect((await cli('cron', 'create', write('cron.yaml', CRON(2)), '-n', 'jobs')).code).toBe(0);
    const backfill = await cli('cron', 'backfill', 'nightly', '-n', 'jobs', '--start', '2026-03-01T00:00:00Z', '--end', '2026-03-02T23:00:00Z', '--argname', 'day', '--format', '2006-01-02 15:04 MST', '--parallel');
    expect(backfill.stderr).toBe('');
    const names = backfill.stdout.trim().split('\n');
    expect(names).toHaveLength(2);
    const done = await cli('wait', ...names, '-n', 'jobs');
    expect(done.code).toBe(0);
    const days = await Promise.all(names.map(async (name) => (await cli('logs', name, '-n', 'jobs')).stdout.split(': ')[1]));
    expect(days.sort()).toEqual(['2026-03-01 02:00 UTC\n', '2026-03-02 02:00 UTC\n']);
    const scheduled = JSON.parse((await cli('get', names[0]!, '-n', 'jobs', '-o', 'json')).stdout) as Workflow;
    expect(scheduled.metadata.annotations?.['workflows.argoproj.io/scheduled-time']).toMatch(/^2026-03-0[12]T02:00:00Z$/);

    const sequential = await cli('cron', 'backfill', 'nightly', '-n', 'jobs', '--start', '2026-03-05T00:00:00Z', '--end', '2026-03-05T23:00:00Z', '--argname', 'day');
    expect(sequential.stdout.trim().split('\n')).toHaveLength(1);
    expect((await cli('logs', sequential.stdout.trim(), '-n', 'jobs')).stdout).toMatch(/: Thu, 05 Mar 2026 02:00:00 UTC\n$/);
    const capped = await cli('cron', 'backfill', 'nightly', '-n', 'jobs', '--start', '2026-01-01T00:00:00Z', '--end', '2026-12-31T00:00:00Z', '--parallel', '--maxworkflowcount', '3');
    expect(capped.stdout.trim().split('\n')).toHaveLength(3);
    const bad = await cli('cron', 'backfill', 'nightly', '-n', 'jobs', '--start', 'yesterday');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--start expects a time');
  }, 60_000);

  it('updates a CronWorkflow that exists, and refuses one that does not', async () => {
    const updated = await cli('cron', 'update', write('cron-5.yaml', CRON(5)), '-n', 'jobs', '-o', 'name');
    expect(updated.stdout).toBe('nightly\n');
    expect((await cli('cron', 'get', 'nightly', '-n', 'jobs')).stdout).toMatch(/Schedules:\s+0 5 \* \* \*/);
    const missing = await cli('cron', 'update', write('cron-other.yaml', CRON(6).replace('name: nightly', 'name: other')), '-n', 'jobs');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('CronWorkflow "other" not found in namespace "jobs"');
  });

  it('lints templates without storing them and updates only stored ones', async () => {
    const TEMPLATE = (message: string) => `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: greeter}
spec:
  templates:
  - name: greet
    container: {image: busybox, command: [echo, "${message}"]}
`;
    const good = write('tmpl.yaml', TEMPLATE('hi'));
    const lint = await cli('template', 'lint', good);
    expect(lint.stdout).toBe(`${good}: no linting errors found\n`);
    expect((await cli('template', 'list', '-o', 'json')).stdout.trim()).toBe('[]');
    const broken = write('broken.yaml', TEMPLATE('hi').replace('kind: WorkflowTemplate', 'kind: Workflow'));
    const refused = await cli('template', 'lint', broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(broken);

    const missing = await cli('template', 'update', good);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('WorkflowTemplate "greeter" not found');
    expect((await cli('template', 'create', good)).code).toBe(0);
    const updated = await cli('template', 'update', write('tmpl-2.yaml', TEMPLATE('hello again')), '-o', 'json');
    expect(updated.code).toBe(0);
    expect(JSON.stringify(JSON.parse(updated.stdout))).toContain('hello again');
    expect((await cli('cluster-template', 'lint', good)).code).toBe(1);
  });
});

describe('submit of a file of several workflows', () => {
  it('submits each workflow of a file separated by ---, as Argo does, and refuses the whole file for a bad one, naming its document', async () => {
    const both = write('both.yaml', `${workflowYaml('first-', 'echo one')}---\n${workflowYaml('second-', 'echo two')}`);
    const submitted = await regatta(['submit', both, '-n', 'multi', '--wait'], prefix);
    expect(submitted.stderr).toBe('');
    const { names, phases } = parseWait(submitted.stdout);
    expect(names.map((name) => name.replace(/[a-z0-9]{5}$/, ''))).toEqual(['first-', 'second-']);
    expect(Object.values(phases)).toEqual(['Succeeded', 'Succeeded']);

    const bad = write('bad.yaml', `${workflowYaml('fine-', 'echo fine')}---\n${workflowYaml('broken-', 'echo broken').replace('entrypoint: main', 'entrypoint: nowhere')}`);
    const refused = await regatta(['submit', bad, '-n', 'multi'], prefix);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/bad\.yaml.*document 2.*nowhere/);
    const listed = await regatta(['list', '-n', 'multi', '-o', 'name'], prefix);
    expect(listed.stdout.trim().split('\n').sort()).toEqual([...names].sort());
  });
});

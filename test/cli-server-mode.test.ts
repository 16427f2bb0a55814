// The built `regatta` in server mode (REGATTA_SERVER, a token) against a real `regatta server`, a
// scheduler and a worker, and in local mode (Redis) over the same prefix: the same commands print the
// same. Workflows made in one mode are read in both; those the two modes make side by side differ by
// name alone. A bad token is refused with a clear message; Redis-only commands refuse server mode.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService, type CliResult } from './support/cli.js';
import { freePort } from './support/free-port.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const dir = mkdtempSync(join(tmpdir(), 'regatta-cli-server-mode-'));
/** No config file of the user's is read. */
const noConfig = { REGATTA_CONFIG: join(dir, 'absent.yaml') };
let serverEnv: Record<string, string> = {};

const local = (...args: string[]) => regatta(args, prefix, noConfig);
const remote = (...args: string[]) => regatta(args, prefix, serverEnv);

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const workflow = (name: string, steps: string, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: ${name}
  labels: {team: ${name.split('-')[0]}}
spec:
  entrypoint: main
  priority: 3
  arguments:
    parameters: [{name: who, value: world}]
  templates:
  - name: main
    steps:
${steps}
  - name: say
    container: {image: busybox, command: [sh, -c, "echo first line; echo second line"]}
  - name: fail
    container: {image: busybox, command: [sh, -c, "echo failing; exit 3"]}
  - name: pause
    suspend: {}
  - name: sleep
    container: {image: busybox, command: [sh, -c, "sleep 600"]}
${extra}`;

const SAYS = '    - - {name: say, template: say}';
const FAILS = '    - - {name: fail, template: fail}';
const PAUSES = '    - - {name: pause, template: pause}\n    - - {name: say, template: say}';
const SLEEPS = '    - - {name: sleep, template: sleep}';

/** Ages, durations and times tick between two commands; names given are made one. */
function normal(result: CliResult, names: Record<string, string> = {}): CliResult {
  const text = (s: string) =>
    Object.entries(names)
      .reduce((out, [from, to]) => out.replaceAll(from, to), s)
      .replace(/\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?( ?Z| \+0000 UTC)?/g, '<time>')
      .replace(/\w{3} \w{3} \d\d \d\d:\d\d:\d\d \+0000/g, '<time>')
      .replace(/\b\d+[smhd]\b/g, '<age>')
      .replace(/\((now|\d+ \w+ ago)\)/g, '(<ago>)')
      // A column as wide as its widest age.
      .replace(/ +/g, ' ');
  return { code: result.code, stdout: text(result.stdout), stderr: text(result.stderr) };
}

/** Both modes print the same for `args`. */
async function same(...args: string[]): Promise<CliResult> {
  const [inLocal, inServer] = await Promise.all([local(...args), remote(...args)]);
  expect(inLocal.code, inLocal.stderr).toBe(0);
  expect(normal(inServer)).toEqual(normal(inLocal));
  return inServer;
}

beforeAll(async () => {
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['worker'], prefix, { LOG_LEVEL: 'warn' }));
  const created = await local('auth', 'token', 'create', '--role', 'admin');
  expect(created.code, created.stderr).toBe(0);
  const port = await freePort();
  services.push(startService(['server', '--port', String(port)], prefix, { LOG_LEVEL: 'warn' }));
  const base = `http://127.0.0.1:${port}`;
  await until('the server to answer', () => fetch(`${base}/healthz`).then((r) => r.ok, () => false));
  serverEnv = { ...noConfig, REGATTA_SERVER: base, REGATTA_TOKEN: created.stdout.trim() };
}, 30_000);

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

// Dozens of CLI runs each, on a machine shared with other work.
describe('the CLI in server mode and in local mode', { timeout: 300_000 }, () => {
  it('submits and waits, then lists, gets and shows logs the same', async () => {
    const [inLocal, inServer] = await Promise.all([
      local('submit', '--wait', write('local.yaml', workflow('loc-says', SAYS))),
      remote('submit', '--wait', write('server.yaml', workflow('srv-says', SAYS))),
    ]);
    expect(inServer.code, inServer.stderr).toBe(0);
    expect(normal(inServer, { 'srv-says': 'X' })).toEqual(normal(inLocal, { 'loc-says': 'X' }));
    expect(inServer.stdout).toMatch(/^srv-says\nsrv-says Succeeded at /);
    const failed = await remote('submit', '--wait', write('fails.yaml', workflow('srv-fails', FAILS)));
    expect(failed.stdout).toContain('srv-fails Failed at');

    const listed = await same('list');
    expect(listed.stdout).toMatch(/srv-says\s+Succeeded/);
    for (const flags of [['-l', 'team=srv'], ['--status', 'Failed'], ['--prefix', 'loc-'], ['--completed'], ['--since', '1h'], ['-o', 'wide'], ['-o', 'name'], ['-A'], ['-A', '-o', 'wide']]) {
      await same('list', ...flags);
    }
    expect((await remote('list', '--status', 'Failed', '-o', 'name')).stdout).toBe('srv-fails\n');
    expect((await remote('list', '-o', 'wide')).stdout).toMatch(/srv-says\s+Succeeded.*\s3\s.*0\/0\/1\s+who=world/);

    await same('get', 'srv-says');
    await same('get', 'srv-fails', '-o', 'json');
    const logs = await same('logs', 'srv-says');
    expect(logs.stdout).toContain('first line');
    for (const flags of [['--grep', 'second'], ['--tail', '1'], ['-c', 'main'], ['--since', '1h'], ['--timestamps']]) await same('logs', 'srv-says', ...flags);
    expect((await remote('logs', 'srv-says', '--tail', '1')).stdout).toMatch(/second line\n$/);
    await same('wait', 'srv-says');
  });

  it('resumes, stops, retries and deletes the same', async () => {
    const paused = await Promise.all([
      local('submit', write('local-pause.yaml', workflow('loc-pause', PAUSES))),
      remote('submit', write('server-pause.yaml', workflow('srv-pause', PAUSES))),
      local('submit', write('local-sleep.yaml', workflow('loc-sleep', SLEEPS))),
      remote('submit', write('server-sleep.yaml', workflow('srv-sleep', SLEEPS))),
    ]);
    for (const { code, stderr } of paused) expect(code, stderr).toBe(0);
    await until('the pauses to suspend', async () => (await local('get', 'loc-pause')).stdout.includes('pause') && (await local('get', 'srv-pause')).stdout.includes('pause'));
    await until('the sleeps to run', async () => /Running/.test((await local('list', '--running', '--prefix', 'loc-sleep')).stdout + (await local('list', '--running', '--prefix', 'srv-sleep')).stdout));

    const pair = async (local_: string, server: string, ...args: string[]) => {
      const [inLocal, inServer] = await Promise.all([local(...args, local_), remote(...args, server)]);
      expect(inServer.code, inServer.stderr).toBe(inLocal.code);
      expect(normal(inServer, { [server]: 'X' })).toEqual(normal(inLocal, { [local_]: 'X' }));
      return inServer;
    };
    await pair('loc-pause', 'srv-pause', 'resume');
    await pair('loc-pause', 'srv-pause', 'wait');
    expect((await remote('get', 'srv-pause')).stdout).toMatch(/Status:\s+Succeeded/);
    await pair('loc-sleep', 'srv-sleep', 'stop');
    await pair('loc-sleep', 'srv-sleep', 'wait');

    await local('submit', '--wait', write('local-fails.yaml', workflow('loc-fails', FAILS)));
    await pair('loc-fails', 'srv-fails', 'retry');
    await pair('loc-fails', 'srv-fails', 'wait');
    await pair('loc-fails', 'srv-fails', 'delete');
    expect((await remote('get', 'srv-fails')).code).not.toBe(0);
    expect(normal(await remote('get', 'srv-fails'), { 'srv-fails': 'X' })).toEqual(normal(await local('get', 'loc-fails'), { 'loc-fails': 'X' }));
  });

  it('creates and lists WorkflowTemplates through the server', async () => {
    const template = (name: string) => workflow(name, SAYS).replace('kind: Workflow', 'kind: WorkflowTemplate');
    const [inLocal, inServer] = await Promise.all([
      local('template', 'create', write('local-template.yaml', template('loc-template'))),
      remote('template', 'create', write('server-template.yaml', template('srv-template'))),
    ]);
    expect(inServer.code, inServer.stderr).toBe(0);
    expect(normal(inServer, { 'srv-template': 'X' })).toEqual(normal(inLocal, { 'loc-template': 'X' }));
    const listed = await same('template', 'list');
    expect(listed.stdout).toMatch(/loc-template\nsrv-template\n/);
    await same('template', 'get', 'srv-template');
    const submitted = await remote('submit', '--from', 'workflowtemplate/srv-template', '--wait');
    expect(submitted.stdout).toMatch(/Succeeded at/);
  });

  it('lints through the server as locally, a stored WorkflowTemplate resolved and a missing one named', async () => {
    const uses = (name: string, template: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  workflowTemplateRef: {name: ${template}}
`;
    const good = await same('lint', write('uses-stored.yaml', uses('uses', 'srv-template')));
    expect(good.stdout).toMatch(/no linting errors found/);
    const file = write('uses-missing.yaml', uses('missing', 'no-such-template'));
    const [inLocal, inServer] = await Promise.all([local('lint', file), remote('lint', file)]);
    // The server places the issue in the request's body, the CLI in the file: the finding is the same.
    const finding = 'spec.workflowTemplateRef: WorkflowTemplate "no-such-template" not found in namespace "default"';
    expect(inLocal).toMatchObject({ code: 1, stdout: '' });
    expect(inServer).toMatchObject({ code: 1, stdout: '' });
    expect(inLocal.stderr).toContain(finding);
    expect(inServer.stderr).toContain(finding);
  });

  it('lists and gets CronWorkflows through the server, with their status', async () => {
    const cron = `apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: ['0 3 * * *']
  suspend: true
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: busybox, command: [echo, hi]}
`;
    const created = await local('cron', 'create', write('cron.yaml', cron));
    expect(created.code, created.stderr).toBe(0);
    expect((await same('cron', 'list')).stdout).toMatch(/nightly/);
    await same('cron', 'get', 'nightly');
    await same('cron', 'get', 'nightly', '-o', 'json');
  });

  it('says a token was refused, and that a Redis-only command needs local mode', async () => {
    const refused = await regatta(['list'], prefix, { ...serverEnv, REGATTA_TOKEN: 'rgt_not-a-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401');
    expect(refused.stderr).toContain(`the server ${serverEnv.REGATTA_SERVER} refused the token`);
    expect(refused.stderr).not.toContain('rgt_not-a-token');

    for (const args of [['cron', 'delete', 'nightly'], ['archive', 'list']]) {
      const refusedHere = await remote(...args);
      expect(refusedHere.code).toBe(1);
      expect(refusedHere.stderr).toContain('this command is not available in server mode yet');
    }
  });

  it('reads the server and token from a config file readable by its owner alone', async () => {
    const file = write('config.yaml', `server: ${serverEnv.REGATTA_SERVER}\ntoken: ${serverEnv.REGATTA_TOKEN}\n`);
    chmodSync(file, 0o644);
    const open = await regatta(['list', '-o', 'name'], prefix, { REGATTA_CONFIG: file });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain(`${file}: holds a token but is readable by others (mode 644)`);
    chmodSync(file, 0o600);
    const fromFile = await regatta(['list', '-o', 'name', '--prefix', 'srv-says'], prefix, { REGATTA_CONFIG: file, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(fromFile.stdout, fromFile.stderr).toBe('srv-says\n');
    const flagged = await regatta(['--server', 'ftp://x', 'list'], prefix, noConfig);
    expect(flagged.stderr).toContain('--server: "ftp://x" is not an http:// or https:// URL');
  });
});

// The launcher and the wait container's collection, as processes over a run folder: `regatta-launcher
// install` copies the launcher, which then runs a command as a user container would (built program, so
// the copy is proven to stand alone).
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStore } from '@regatta/artifacts';
import { RESULT_LIMIT } from '../../local/output-capture.js';
import { artifactStore } from './artifact-store.js';
import { collectOutputs } from './collect-outputs.js';
import { awaitOutputs } from './wait-reporter.js';

const MAIN = fileURLToPath(new URL('../../../dist/kubernetes/launcher/main.js', import.meta.url));
let runDir: string;

beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'regatta-run-'));
  await run(process.execPath, [MAIN, 'install', join(runDir, 'launcher')], {});
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: process.env.PATH, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

function launcher(args: string[], env: NodeJS.ProcessEnv) {
  return run(join(runDir, 'launcher'), ['--', ...args], env);
}

describe('launcher', () => {
  it('runs the command, tees its output, copies output files and ends with its exit code', async () => {
    const outputFile = join(runDir, 'answer.txt');
    const outputs = { parameters: [{ name: 'answer', valueFrom: { path: outputFile } }, { name: 'absent', valueFrom: { path: '/nonexistent/x', default: 'fallback' } }] };
    const ran = await launcher(['sh', '-c', `echo hello; echo oops >&2; echo 42 > ${outputFile}; exit 3`], { REGATTA_CONTAINER: 'main', REGATTA_OUTPUTS: JSON.stringify(outputs) });
    expect(ran).toEqual({ code: 3, stdout: 'hello\n', stderr: 'oops\n' });
    expect(await readFile(join(runDir, 'ctr/main/stdout'), 'utf8')).toBe('hello\n');
    expect(await readFile(join(runDir, 'ctr/main/stderr'), 'utf8')).toBe('oops\n');
    expect(await readFile(join(runDir, 'ctr/main/exitcode'), 'utf8')).toBe('3');
    expect(await collectOutputs(runDir, 'main', outputs)).toEqual({
      exitCode: '3',
      result: 'hello',
      parameters: [
        { name: 'answer', value: '42' },
        { name: 'absent', value: 'fallback' },
      ],
    });
  });

  it('keeps all of a large output in its file and passes it on whole; the result is its last 256 KiB', async () => {
    const ran = await launcher(['sh', '-c', 'i=0; while [ $i -lt 10000 ]; do echo "line $i of a chatty container that writes a lot"; i=$((i+1)); done'], { REGATTA_CONTAINER: 'main' });
    const file = await readFile(join(runDir, 'ctr/main/stdout'), 'utf8');
    expect(file.split('\n')).toHaveLength(10001);
    expect(ran.stdout).toBe(file);
    const { result } = await collectOutputs(runDir, 'main', {});
    expect(Buffer.byteLength(file)).toBeGreaterThan(RESULT_LIMIT);
    expect(Buffer.byteLength(result!)).toBe(RESULT_LIMIT);
    expect(file.endsWith(`${result}\n`)).toBe(true);
    expect(result!.endsWith('line 9999 of a chatty container that writes a lot')).toBe(true);
  });

  it('writes a script template\'s source and runs it', async () => {
    const ran = await launcher(['sh', join(runDir, 'script')], { REGATTA_CONTAINER: 'main', REGATTA_SCRIPT: 'echo from-script' });
    expect(ran.stdout).toBe('from-script\n');
  });

  it('says which command cannot run, with 127', async () => {
    const ran = await launcher(['no-such-command-here'], { REGATTA_CONTAINER: 'main' });
    expect(ran.code).toBe(127);
    expect(ran.stderr).toContain('cannot run "no-such-command-here": executable file not found');
  });

  it('stops the command on a signal the wait container writes, and reports 128 + the signal', async () => {
    const ran = launcher(['sleep', '30'], { REGATTA_CONTAINER: 'side' });
    const signal = join(runDir, 'ctr/side/signal');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await writeFile(signal, 'SIGTERM');
    expect((await ran).code).toBe(143);
  });

  it('skips a containerSet member whose dependency failed', async () => {
    await launcher(['false'], { REGATTA_CONTAINER: 'a' });
    const ran = await launcher(['echo', 'never'], { REGATTA_CONTAINER: 'b', REGATTA_DEPENDENCIES: '["a"]' });
    expect(ran).toMatchObject({ code: 0, stdout: '' });
    expect(await readFile(join(runDir, 'ctr/b/exitcode'), 'utf8')).toBe('omitted a');
    expect(await awaitOutputs({ runDir, containers: ['a', 'b'], outputs: {}, pod: { namespace: 'n', name: 'p' } })).toMatchObject({
      exitCode: 'omitted a',
      omitted: [{ name: 'b', dependency: 'a' }],
    });
  });
});

describe('wait reporter', () => {
  it('waits for the main containers, stops the sidecars and reports the outputs; a missing parameter of a succeeded container is an error', async () => {
    const sidecar = launcher(['sleep', '30'], { REGATTA_CONTAINER: 'side' });
    const outputs = { parameters: [{ name: 'p', valueFrom: { path: '/nonexistent/p' } }] };
    const waiting = awaitOutputs({ runDir, containers: ['main'], outputs, pod: { namespace: 'n', name: 'p' } });
    await launcher(['echo', 'done'], { REGATTA_CONTAINER: 'main', REGATTA_OUTPUTS: JSON.stringify(outputs) });
    expect(await waiting).toEqual({ exitCode: '0', result: 'done', error: expect.stringContaining('failed to read output parameter "p" from /nonexistent/p') });
    expect((await sidecar).code).toBe(143);
  });
});

describe('artifacts through the run folder (regatta-init places inputs, the launcher copies outputs, wait saves them)', () => {
  const namespace = 'team';
  let store: string;
  let storeEnv: NodeJS.ProcessEnv;
  beforeEach(() => {
    store = join(runDir, 'store');
    // As buildPod gives regatta-init and wait: the store's folder, the pod's and the workflow's namespaces.
    storeEnv = { REGATTA_RUN_DIR: runDir, REGATTA_ARTIFACTS_DIR: store, REGATTA_NAMESPACE: 'pods', REGATTA_WORKFLOW_NAMESPACE: namespace };
  });
  const install = (inputs: unknown[], env = storeEnv) => run(process.execPath, [MAIN, 'install', join(runDir, 'launcher')], { ...env, REGATTA_INPUT_ARTIFACTS: JSON.stringify(inputs) });

  it('install places raw and stored inputs under their names, with their modes, and skips an optional one that is missing', async () => {
    const source = join(runDir, 'made');
    await mkdir(join(source, 'tree'), { recursive: true });
    await writeFile(join(source, 'tree', 'leaf.txt'), 'leaf');
    await writeFile(join(source, 'plain.txt'), 'plain');
    const stores = new ArtifactStore({ localRoot: store });
    await stores.save(join(source, 'tree'), { name: 'tree', key: `${namespace}/uid/pod/tree.tgz` }, namespace);
    await stores.save(join(source, 'plain.txt'), { name: 'plain', key: `${namespace}/uid/pod/plain.txt`, archive: { none: {} } }, namespace);
    const placed = await install([
      { name: 'code', path: '/src/code.sh', raw: { data: 'echo hi' }, mode: 0o755 },
      { name: 'tree', path: '/in/tree', key: `${namespace}/uid/pod/tree.tgz` },
      { name: 'plain', path: '/in/plain.txt', key: `${namespace}/uid/pod/plain.txt`, archive: { none: {} } },
      { name: 'absent', path: '/in/absent', key: `${namespace}/uid/pod/absent.tgz`, optional: true },
    ]);
    expect(placed).toMatchObject({ code: 0, stderr: '' });
    const inputs = join(runDir, 'inputs');
    expect(await readFile(join(inputs, 'code'), 'utf8')).toBe('echo hi');
    expect((await stat(join(inputs, 'code'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(inputs, 'tree', 'leaf.txt'), 'utf8')).toBe('leaf');
    expect(await readFile(join(inputs, 'plain'), 'utf8')).toBe('plain');
    await expect(lstat(join(inputs, 'absent'))).rejects.toThrow(/ENOENT/);
  });

  it('install fails naming the input that is missing, or that has nowhere to come from, or whose key is another namespace\'s', async () => {
    const missing = await install([{ name: 'message', path: '/tmp/message', key: `${namespace}/uid/pod/gone.tgz` }]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toBe(`regatta-launcher: failed to load input artifact "message": key ${namespace}/uid/pod/gone.tgz is not in the artifact repository\n`);
    const foreign = await install([{ name: 'message', path: '/tmp/message', key: 'other/uid/pod/x.tgz' }]);
    expect(foreign.stderr).toContain(`failed to load input artifact "message": key other/uid/pod/x.tgz is not in namespace "${namespace}"'s artifacts`);
    const { REGATTA_ARTIFACTS_DIR: _dir, ...withoutStore } = storeEnv;
    const nowhere = await install([{ name: 'message', path: '/tmp/message', key: `${namespace}/uid/pod/m.tgz` }], withoutStore);
    expect(nowhere.stderr).toContain('failed to load input artifact "message": this pod has no local artifact repository');
  });

  it('the launcher copies a file and a folder (its links as links), and wait saves them at their keys and reports them', async () => {
    const work = join(runDir, 'work');
    await mkdir(join(work, 'out', 'sub'), { recursive: true });
    await writeFile(join(work, 'out', 'sub', 'a.txt'), 'in a folder');
    await symlink('/etc/hostname', join(work, 'out', 'outside'));
    const outputs = {
      artifacts: [
        { name: 'file', path: join(work, 'hello.txt'), key: `${namespace}/uid/pod/file.tgz` },
        { name: 'folder', path: join(work, 'out'), key: `${namespace}/uid/pod/folder`, archive: { none: {} } },
        { name: 'maybe', path: join(work, 'never'), key: `${namespace}/uid/pod/maybe.tgz`, optional: true },
      ],
    };
    const waiting = awaitOutputs({ runDir, containers: ['main'], outputs, pod: { namespace: 'pods', name: 'p' } }, artifactStore(storeEnv));
    await launcher(['sh', '-c', `echo hello world > ${join(work, 'hello.txt')}`], { REGATTA_CONTAINER: 'main', REGATTA_OUTPUTS: JSON.stringify(outputs) });
    expect(await waiting).toEqual({
      exitCode: '0',
      result: '',
      artifacts: [
        { name: 'file', path: join(work, 'hello.txt'), key: `${namespace}/uid/pod/file.tgz` },
        { name: 'folder', path: join(work, 'out'), key: `${namespace}/uid/pod/folder`, archive: { none: {} } },
      ],
    });
    const stores = new ArtifactStore({ localRoot: store });
    const back = join(runDir, 'back');
    await stores.load({ name: 'file', key: `${namespace}/uid/pod/file.tgz` }, join(back, 'file'), namespace);
    expect(await readFile(join(back, 'file'), 'utf8')).toBe('hello world\n');
    await stores.load({ name: 'folder', key: `${namespace}/uid/pod/folder`, archive: { none: {} } }, join(back, 'folder'), namespace);
    expect(await readFile(join(back, 'folder', 'sub', 'a.txt'), 'utf8')).toBe('in a folder');
    expect(await readlink(join(back, 'folder', 'outside'))).toBe('/etc/hostname');
  });

  it('wait reports a missing artifact that is not optional as the node\'s error, only where the container succeeded', async () => {
    const outputs = { artifacts: [{ name: 'hello-art', path: '/tmp/nonexistent-regatta/hello.txt', key: `${namespace}/uid/pod/hello-art.tgz` }] };
    for (const [command, error] of [['true', { error: 'failed to save outputs: path /tmp/nonexistent-regatta/hello.txt does not exist' }], ['false', {}]] as const) {
      await rm(join(runDir, 'ctr'), { recursive: true, force: true });
      const waiting = awaitOutputs({ runDir, containers: ['main'], outputs, pod: { namespace: 'pods', name: 'p' } }, artifactStore(storeEnv));
      await launcher([command], { REGATTA_CONTAINER: 'main', REGATTA_OUTPUTS: JSON.stringify(outputs) });
      expect(await waiting).toEqual({ exitCode: command === 'true' ? '0' : '1', result: '', ...error });
    }
  });
});

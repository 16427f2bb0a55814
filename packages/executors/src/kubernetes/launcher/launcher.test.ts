// The launcher and the wait container's collection, as processes over a run folder: `regatta-launcher
// install` copies the launcher, which then runs a command as a user container would (built program, so
// the copy is proven to stand alone).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RESULT_LIMIT } from '../../local/output-capture.js';
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

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinArgv } from '../builtin-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-argosay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lines = join(dir, 'lines.txt');
writeFileSync(lines, 'alpha\nbeta gamma\nlast');

function argosay(...args: string[]): { stdout: string; stderr: string; code: number | null } {
  const [file, ...prefix] = builtinArgv('argosay');
  const { stdout, stderr, status } = spawnSync(file!, [...prefix, ...args], { cwd: dir, encoding: 'utf8' });
  return { stdout, stderr, code: status };
}

describe('argosay', () => {
  it('says hello argo with no arguments, an empty one, or a bare echo', () => {
    for (const args of [[], [''], ['echo']]) expect(argosay(...args)).toMatchObject({ stdout: 'hello argo\n', code: 0 });
  });

  it("echoes its text as dash's echo does: escapes interpreted, -n alone an option", () => {
    expect(argosay('echo', 'hello')).toMatchObject({ stdout: 'hello\n', code: 0 });
    expect(argosay('echo', String.raw`a\tb\0101\101\\\q`).stdout).toBe('a\tbAA\\\\q\n');
    expect(argosay('echo', String.raw`cut\c here`).stdout).toBe('cut');
    expect(argosay('echo', '-n').stdout).toBe('');
  });

  it('writes the text to a file, making its folders', () => {
    expect(argosay('echo', 'to file', 'sub/dir/out.txt')).toMatchObject({ stdout: '', code: 0 });
    expect(readFileSync(join(dir, 'sub/dir/out.txt'), 'utf8')).toBe('to file\n');
  });

  it('does nothing with more arguments, as no case of the script matches', () => {
    expect(argosay('echo', 'a', 'b', 'c')).toMatchObject({ stdout: '', code: 0 });
  });

  it('cats a file, and fails on a missing one', () => {
    expect(argosay('cat', lines)).toMatchObject({ stdout: 'alpha\nbeta gamma\nlast', code: 0 });
    expect(argosay('cat', join(dir, 'none'))).toMatchObject({ stderr: `cat: ${join(dir, 'none')}: No such file or directory\n`, code: 1 });
  });

  it('asserts that a file contains a text as grep -F does, printing the lines that match', () => {
    expect(argosay('assert_contains', lines, 'gam')).toMatchObject({ stdout: 'beta gamma\n', code: 0 });
    expect(argosay('assert_contains', lines, 'delta')).toMatchObject({ stdout: '', code: 1 });
    expect(argosay('assert_contains', lines, 'zz\nlast')).toMatchObject({ stdout: 'last\n', code: 0 });
    expect(argosay('assert_contains', join(dir, 'none'), 'x').code).toBe(2);
  });

  it('exits with the code given, modulo 256; 0 by default; 2 for one that is no number', () => {
    expect(argosay('exit').code).toBe(0);
    expect(argosay('exit', '3').code).toBe(3);
    expect(argosay('exit', '300').code).toBe(44);
    expect(argosay('exit', 'abc')).toMatchObject({ stderr: 'argosay: exit: Illegal number: abc\n', code: 2 });
  });

  it('sleeps for a number of seconds with an optional unit, and refuses Go durations coreutils does not take', () => {
    const started = Date.now();
    expect(argosay('sleep', '0.3s').code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(argosay('sleep', '1m30s')).toMatchObject({ stderr: expect.stringContaining("invalid time interval '1m30s'"), code: 1 });
  });

  it('runs a file with sh, with its exit code', () => {
    writeFileSync(join(dir, 'script.sh'), 'echo from sh; exit 4\n');
    expect(argosay('sh', 'script.sh')).toMatchObject({ stdout: 'from sh\n', code: 4 });
  });

  it('fails with 2 on a missing argument and with 1 on an unknown sub-command', () => {
    expect(argosay('cat')).toMatchObject({ stderr: 'argosay: 2: parameter not set\n', code: 2 });
    expect(argosay('sleep').code).toBe(2);
    expect(argosay('assert_contains', lines).code).toBe(2);
    expect(argosay('say', 'hi')).toMatchObject({ stdout: '', stderr: '', code: 1 });
  });
});

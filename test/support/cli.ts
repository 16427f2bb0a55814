// Runs the built `regatta` command as a user would, against the test Redis and prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from './redis.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = `${ROOT}apps/cli/dist/main.js`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliEnv(prefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // A stopped worker hands on its long test nodes after 1 s instead of letting them run for 30.
  return { ...process.env, REDIS_URL, REGATTA_PREFIX: prefix, REGATTA_SHARDS: '4', REGATTA_SHUTDOWN_GRACE_MS: '1000', NO_COLOR: '1', ...extra };
}

export function regatta(args: string[], prefix: string, extra: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: cliEnv(prefix, extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running `regatta scheduler|worker`; the test stops it. */
export function startService(args: string[], prefix: string, extra: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: cliEnv(prefix, extra) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

export function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

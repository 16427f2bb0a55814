// `regatta run` needs only Node.js and redis-server: without REDIS_URL it
// starts its own Redis (append-only, in a temporary folder) and stops it at exit; without
// redis-server it says how to get one. Run in a fresh network namespace, where no Redis answers.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

const UNSHARE = spawnSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' }).stdout.trim();
const isolated = UNSHARE !== '' && spawnSync(UNSHARE, ['-n', 'true']).status === 0;
if (!isolated) process.stdout.write('local Redis tests skipped: no permission to create a network namespace here\n');

function runIsolated(path: string): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { PATH: path, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' };
  const script = `ip link set lo up && exec "${process.execPath}" apps/cli/bin/regatta.js run examples/hello-world.yaml -o json`;
  const result = spawnSync(UNSHARE, ['-n', 'sh', '-c', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const redisFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith('regatta-redis-')).sort();

describe('regatta run without a Redis', () => {
  it.runIf(isolated)('starts redis-server from PATH, runs the workflow and leaves nothing behind', () => {
    const before = redisFolders();
    const result = runIsolated(process.env.PATH ?? '');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { status: { phase: string } }).status.phase).toBe('Succeeded');
    expect(redisFolders()).toEqual(before);
  });

  it.runIf(isolated)('says how to get Redis when redis-server is not on PATH', () => {
    // A PATH with the tools the command itself needs, and no redis-server.
    const bin = mkdtempSync(join(tmpdir(), 'regatta-path-'));
    for (const tool of ['sh', 'ip']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    const result = runIsolated(bin);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('redis-server is not on PATH. Install Redis');
  });
});

// A worker given SIGTERM while a node runs stops taking jobs but lets the node finish within its
// shutdown grace (REGATTA_SHUTDOWN_GRACE_MS), reports its result, and only then exits; the worker runs
// as the `regatta-worker` entry point of apps/worker, the scheduler as `regatta scheduler`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@regatta/spec';
import { cliEnv, regatta, ROOT, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await removePrefix(prefix);
});

describe('graceful shutdown', () => {
  it('lets a running node finish and report within the grace period before the worker exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regatta-graceful-'));
    const file = join(dir, 'slow.yaml');
    writeFileSync(
      file,
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: slow}
spec:
  entrypoint: slow
  volumes: [{name: shared, hostPath: {path: ${dir}}}]
  templates:
  - name: slow
    container:
      image: busybox
      command: [sh, -c, 'echo run >> /shared/ran; sleep 3; touch /shared/finished']
      volumeMounts: [{name: shared, mountPath: /shared}]
`,
    );
    services.push(startService(['scheduler'], prefix));
    const worker = spawn(process.execPath, [join(ROOT, 'apps/worker/bin/regatta-worker.js')], {
      cwd: ROOT,
      env: cliEnv(prefix, { REGATTA_HOSTPATH_ALLOW: dir, REGATTA_SHUTDOWN_GRACE_MS: '30000', LOG_LEVEL: 'info' }),
    });
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    services.push({ child: worker, output: () => output });
    const exited = new Promise<{ code: number | null; finishedBefore: boolean }>((resolve) =>
      worker.once('exit', (code) => resolve({ code, finishedBefore: existsSync(join(dir, 'finished')) })),
    );
    const watched = regatta(['submit', file, '--watch', '-o', 'json'], prefix);

    await until('the node to start', async () => existsSync(join(dir, 'ran')), 30_000);
    worker.kill('SIGTERM');
    const { code, finishedBefore } = await exited;
    // It exited only once the node had ended, and cleanly.
    expect(finishedBefore).toBe(true);
    expect(code).toBe(0);
    expect(output).toContain('letting running nodes finish');

    // No worker is left: the result the stopping worker reported ends the workflow, and the node ran once.
    const result = await watched;
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as Workflow).status?.phase).toBe('Succeeded');
    expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('run\n');
  }, 60_000);
});

// How long `regatta --help`, `regatta list` and `regatta get` take from a cold process to their
// output, against a Redis holding one workflow: what a user waits for at every command (the target is
// under 300 ms). Each command runs RUNS times; the median and the fastest are reported, in wall time
// and in the process's own CPU time (which other load on a shared machine inflates less).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { removePrefix, round } from './system.js';

const MAIN = fileURLToPath(new URL('../../apps/cli/dist/main.js', import.meta.url));
const RUNS = 10;

interface Timed {
  wallMs: number;
  cpuMs: number;
  stdout: string;
}

/** One run of the CLI; its CPU time is measured by `times` in a shell that only waits for it. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const quoted = [process.execPath, MAIN, ...args].map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ');
    // `times` prints the children's user and system time on its second line, e.g. `0m0.310s 0m0.050s`.
    const child = spawn('bash', ['-c', `${quoted} >&3; times >&2`], { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let times = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (times += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`regatta ${args.join(' ')} exited ${code}: ${times}`));
      const seconds = [...(times.trim().split('\n').at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(([, m, s]) => Number(m) * 60 + Number(s));
      resolve({ wallMs, cpuMs: seconds.reduce((a, b) => a + b, 0) * 1000, stdout });
    });
  });
}

function summary(runs: Timed[]): Record<string, number> {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const wall = sorted(runs.map((run) => run.wallMs));
  const cpu = sorted(runs.map((run) => run.cpuMs));
  return { medianMs: round(wall[Math.floor(wall.length / 2)]!), fastestMs: round(wall[0]!), medianCpuMs: round(cpu[Math.floor(cpu.length / 2)]!) };
}

export async function cliStart(redis: Redis, redisUrl: string): Promise<Record<string, unknown>> {
  const prefix = `regatta-bench-${randomUUID().slice(0, 8)}`;
  const env = { ...process.env, REDIS_URL: redisUrl, REGATTA_PREFIX: prefix, NO_COLOR: '1' };
  try {
    const examples = fileURLToPath(new URL('../../examples/hello-world.yaml', import.meta.url));
    const name = (await runCli(['submit', examples], env)).stdout.trim();
    const commands: Record<string, string[]> = { help: ['--help'], list: ['list'], get: ['get', name] };
    const results: Record<string, unknown> = {};
    for (const [label, args] of Object.entries(commands)) {
      const runs: Timed[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runCli(args, env));
      results[label] = summary(runs);
    }
    return { runs: RUNS, targetMs: 300, ...results };
  } finally {
    await removePrefix(redis, prefix);
  }
}

// `npm run bench [-- scenario…]`: runs each scenario against the real processes and a bare-BullMQ
// baseline measured just before it on the same Redis, prints a table and writes results/latest.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { connectRedis } from '@regatta/store';
import { archiveList } from './archive-list.js';
import { artifactTransfer } from './artifacts.js';
import { artifactSteps } from './artifact-steps.js';
import { bareBullmqJobsPerSecond } from './baseline.js';
import { cliStart } from './cli-start.js';
import { incrementalCost } from './incremental.js';
import { drain } from './drain.js';
import { runWorkloads } from './measure.js';
import { RegattaSystem, removePrefix, round } from './system.js';
import { serverWatchers } from './server-watchers.js';
import { chain, fanOutIn, lattice, loop, wide, type Workload } from './workloads.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHARDS = 16;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Measured {
  bullmq: number;
  result: { ratioToBullmq: number } & Record<string, unknown>;
}

async function measureScenario(redis: Redis, scenario: SystemScenario): Promise<Measured> {
  const workloads = scenario.workloads();
  const nodes = workloads.reduce((sum, w) => sum + w.nodes, 0);
  const prefix = `regatta-bench-${randomUUID().slice(0, 8)}`;
  const bullmq = await bareBullmqJobsPerSecond(REDIS_URL, `${prefix}-bare`, Math.max(nodes, 10_000));
  const system = new RegattaSystem({ redisUrl: REDIS_URL, prefix, schedulers: scenario.schedulers ?? 1, workers: scenario.workers ?? 1, concurrency: 50 });
  await redis.hset(`${prefix}:instance`, { id: randomUUID(), shards: SHARDS });
  await system.start(redis, SHARDS);
  try {
    // A long-running scheduler and worker have compiled their hot paths long before a big workflow
    // arrives; a fresh process would also be measuring V8's JIT warming up.
    await runWorkloads(redis, prefix, SHARDS, scenario.warmup());
    const cpuBefore = system.cpuSeconds();
    const redisCpuBefore = await redisCpuSeconds(redis);
    const run = await runWorkloads(redis, prefix, SHARDS, workloads);
    const rss = system.peakRssMb();
    const cpuAfter = system.cpuSeconds();
    const redisCpu = (await redisCpuSeconds(redis)) - redisCpuBefore;
    return {
      bullmq,
      result: {
        nodes,
        seconds: round(run.seconds, 3),
        ...(run.dispatchedSeconds !== undefined && { dispatchedSeconds: round(run.dispatchedSeconds, 3) }),
        nodesPerSecond: Math.round(nodes / run.seconds),
        ratioToBullmq: round(nodes / run.seconds / bullmq, 2),
        bullmqJobsPerSecond: Math.round(bullmq),
        hopLatencyMs: run.hopLatencyMs,
        redisBytesPerNode: run.redisBytesPerNode,
        schedulerPeakRssMb: rss.scheduler,
        workerPeakRssMb: rss.worker,
        // Where the 2 cores went during the run: a ratio below target with these near the wall time is CPU-bound.
        cpuSeconds: {
          scheduler: round(cpuAfter.scheduler - cpuBefore.scheduler, 2),
          worker: round(cpuAfter.worker - cpuBefore.worker, 2),
          redis: round(redisCpu, 2),
        },
        phases: run.phases,
      },
    };
  } finally {
    await system.stop();
    await removePrefix(redis, prefix);
  }
}

interface SystemScenario {
  workloads: () => Workload[];
  /** Run first and not measured: the same shape, a tenth of the size. */
  warmup: () => Workload[];
  schedulers?: number;
  workers?: number;
}

const SYSTEM_SCENARIOS: Record<string, SystemScenario> = {
  wide: { workloads: () => [wide(10_000)], warmup: () => [wide(1_000)] },
  chain: { workloads: () => [chain(1_000)], warmup: () => [chain(100)] },
  lattice: { workloads: () => [lattice(100, 100)], warmup: () => [lattice(10, 100)] },
  many: { workloads: () => Array.from({ length: 1_000 }, fanOutIn), warmup: () => Array.from({ length: 100 }, fanOutIn) },
  'many-2x2': { workloads: () => Array.from({ length: 1_000 }, fanOutIn), warmup: () => Array.from({ length: 100 }, fanOutIn), schedulers: 2, workers: 2 },
  loop: { workloads: () => [loop(10_000)], warmup: () => [loop(1_000)] },
};
const ALL = [...Object.keys(SYSTEM_SCENARIOS), 'drain', 'incremental', 'retention', 'server', 'archive', 'cli', 'artifacts', 'artifact-steps'];
const RETENTION_ROUNDS = 8;

/**
 * Whether the scheduler lets finished workflows go: rounds of 1,000 ten-task workflows through one
 * running system, the scheduler's resident memory read after each. Flat after the first rounds
 * (the heap's own growth) means nothing is kept per finished workflow.
 */
async function retention(redis: Redis): Promise<Record<string, unknown>> {
  const prefix = `regatta-bench-${randomUUID().slice(0, 8)}`;
  const system = new RegattaSystem({ redisUrl: REDIS_URL, prefix, schedulers: 1, workers: 1, concurrency: 50 });
  await redis.hset(`${prefix}:instance`, { id: randomUUID(), shards: SHARDS });
  await system.start(redis, SHARDS);
  try {
    const rssMb: number[] = [];
    for (let i = 0; i < RETENTION_ROUNDS; i++) {
      await runWorkloads(redis, prefix, SHARDS, Array.from({ length: 1_000 }, fanOutIn));
      rssMb.push(system.schedulerRssMb());
    }
    return { workflowsPerRound: 1_000, schedulerRssMb: rssMb, growthAfterFirstRoundMb: round(rssMb.at(-1)! - rssMb[0]!) };
  } finally {
    await system.stop();
    await removePrefix(redis, prefix);
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = requested.filter((name) => !ALL.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  const names = requested.length > 0 ? requested : ALL;
  const redis = connectRedis(REDIS_URL, { enableAutoPipelining: true });
  const results: Record<string, unknown> = {};
  const baselines: number[] = [];
  for (const name of names) {
    if (name === 'server') {
      results.server = await serverWatchers(redis, REDIS_URL);
      continue;
    }
    if (name === 'archive') {
      results.archive = await archiveList(process.env.ARCHIVE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
      continue;
    }
    if (name === 'retention') {
      results.retention = await retention(redis);
      continue;
    }
    if (name === 'cli') {
      results.cli = await cliStart(redis, REDIS_URL);
      continue;
    }
    if (name === 'artifacts') {
      results.artifacts = await artifactTransfer();
      continue;
    }
    if (name === 'artifact-steps') {
      results['artifact-steps'] = await artifactSteps(REDIS_URL);
      continue;
    }
    if (name === 'drain') {
      const runs: Awaited<ReturnType<typeof drain>>[] = [];
      for (let i = 0; i < REPEATS; i++) runs.push(await drain(redis, REDIS_URL, 10_000));
      const { median, ratiosMeasured } = medianRun(runs, (run) => run.ratioToBullmq);
      results.drain = { ...median, ratiosMeasured };
      continue;
    }
    if (name === 'incremental') {
      const { usPerEvent100, usPerEvent10k } = incrementalCost();
      results.incremental = { usPerEvent100: round(usPerEvent100, 2), usPerEvent10k: round(usPerEvent10k, 2), ratio: round(usPerEvent10k / usPerEvent100, 2) };
      continue;
    }
    // Baseline and subject alternate, and the run with the median ratio is reported: absolute rates
    // drift a lot on a shared machine, ratios measured side by side much less.
    const runs: Measured[] = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await measureScenario(redis, SYSTEM_SCENARIOS[name]!));
    const { median, ratiosMeasured } = medianRun(runs, (run) => run.result.ratioToBullmq);
    baselines.push(median.bullmq);
    results[name] = { ...median.result, ratiosMeasured };
  }
  const output = { scenarios: results, bullmq: { jobsPerSecond: Math.round(median(baselines)) } };
  printTable(output.scenarios);
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}latest.json`, `${JSON.stringify(output, null, 2)}\n`);
  redis.disconnect();
}

function printTable(scenarios: Record<string, unknown>): void {
  const rows = [['scenario', 'nodes', 'seconds', 'dispatched', 'nodes/s', 'bullmq/s', 'ratio', 'hop p50', 'hop p99', 'B/node', 'sched MB', 'worker MB']];
  for (const [name, value] of Object.entries(scenarios)) {
    const r = value as Record<string, unknown> & { hopLatencyMs?: { p50: number; p99: number } | null };
    if ('schedulerRssMb' in r) {
      rows.push([name, `scheduler RSS MB after each 1,000 workflows: ${(r.schedulerRssMb as number[]).join(', ')}`]);
      continue;
    }
    if ('bullmqSeconds' in r) {
      rows.push([name, `worker alone: ${r.nodes} nodes in ${r.seconds} s, bare BullMQ worker on the same jobs ${r.bullmqSeconds} s, ratio ${r.ratioToBullmq}`]);
      continue;
    }
    if ('targetMs' in r) {
      const timed = (command: string) => r[command] as Record<string, number>;
      const ms = (command: string) => `${command} ${timed(command).medianMs} ms (fastest ${timed(command).fastestMs}, cpu ${timed(command).medianCpuMs})`;
      rows.push([name, `cold start, median of ${r.runs}: ${['help', 'list', 'get'].map(ms).join('; ')}`]);
      continue;
    }
    if ('ratioWithToWithout' in r) {
      rows.push([name, `${r.watchers} SSE watchers of one ${r.chainTasks}-task chain: run time ratio with/without ${r.ratioWithToWithout} (${JSON.stringify(r.runs)})`]);
      continue;
    }
    if ('firstPageMs' in r) {
      rows.push([name, `${r.rows} archived: first page ${r.firstPageMs} ms, namespace ${r.namespaceFirstPageMs} ms, selector ${r.selectorFirstPageMs} ms, rare label ${r.rareSelectorFirstPageMs} ms, prefix ${r.prefixFirstPageMs} ms, ${r.deepPageAfterRows} deep ${r.deepPageMs} ms`]);
      continue;
    }
    if ('ratioSaveToRawUpload' in r) {
      const store = r.store as Record<string, Record<string, { mbPerSecond: number }>>;
      const raw = r.raw as Record<string, { mbPerSecond: number }>;
      rows.push([
        name,
        `${r.megabytes} MiB through S3: save ${store.none!.save!.mbPerSecond} MB/s (raw SDK ${raw.upload!.mbPerSecond}, ratio ${r.ratioSaveToRawUpload}), load ${store.none!.load!.mbPerSecond} MB/s (raw ${raw.download!.mbPerSecond}, ratio ${r.ratioLoadToRawDownload}); tar+gzip save ${store.tgz!.save!.mbPerSecond}, load ${store.tgz!.load!.mbPerSecond} MB/s; peak RSS +${r.storePeakRssAboveBaselineMb} MB (limit ${r.rssLimitMb})`,
      ]);
      continue;
    }
    if ('workerPeakRssAboveStartMb' in r) {
      rows.push([name, `${r.megabytes} MiB between two steps through S3: workflow ${r.workflowSeconds} s, raw SDK up and down ${r.rawUpAndDownSeconds} s (ratio ${r.ratioToRawSdk}); worker peak RSS +${r.workerPeakRssAboveStartMb} MB (limit ${r.rssLimitMb})`]);
      continue;
    }
    if ('usPerEvent100' in r) {
      rows.push([name, `µs/event: 100 nodes ${r.usPerEvent100}, 10k nodes ${r.usPerEvent10k}, ratio ${r.ratio}`]);
      continue;
    }
    rows.push([name, r.nodes, r.seconds, r.dispatchedSeconds ?? '-', r.nodesPerSecond, r.bullmqJobsPerSecond, r.ratioToBullmq, r.hopLatencyMs?.p50 ?? '-', r.hopLatencyMs?.p99 ?? '-', r.redisBytesPerNode, r.schedulerPeakRssMb, r.workerPeakRssMb].map(String));
  }
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(12) : cell.padStart(9))).join(' ')}\n`);
}

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return value('used_cpu_sys') + value('used_cpu_user');
}

/** The repetition with the median ratio, and every repetition's ratio in the order they ran. */
function medianRun<T>(runs: T[], ratio: (run: T) => number): { median: T; ratiosMeasured: number[] } {
  const sorted = [...runs].sort((a, b) => ratio(a) - ratio(b));
  return { median: sorted[Math.floor(sorted.length / 2)]!, ratiosMeasured: runs.map(ratio) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

await main();

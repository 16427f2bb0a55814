// One chaos run: workflows submitted through `regatta submit` while randomly chosen processes (Redis
// included) are SIGKILLed and started again; then every workflow must end Succeeded, nodes may have
// run twice only where their worker died, no lock may be held, and deleting every workflow must leave
// only the data set's global keys. See docs/testing.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ChaosCluster, PREFIX, REDIS_FSYNC, sleep } from './cluster.js';
import { countEntries, ENDED, keysAfterDelete, lockState, workflowPhases, type KeysAfterDelete, type LockState, type WorkflowEnd } from './inspect.js';
import type { Role } from './processes.js';
import { Random } from './random.js';
import { violations, type ChaosReport } from './report.js';
import { judgeRuns } from './witness.js';
import { KINDS, RUNS_FILE, semaphoreConfigMap, workload } from './workloads.js';

export interface ChaosOptions {
  seed: number;
  /** How long faults are injected and workflows submitted. */
  durationMs: number;
  kills: number;
  workflows: number;
  schedulers: number;
  workers: number;
  /** How long, after the faults stop, the workflows get to end. */
  endTimeoutMs: number;
  /** Keep the run's folder (logs, run record, Redis data) even when nothing was wrong. */
  keepDir?: boolean;
  progress?: (line: string) => void;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('the chaos run starts its own Redis: redis-server must be on PATH (Debian/Ubuntu: apt-get install redis-server)');
  const { progress, ...settings } = options;
  const began = Date.now();
  const say = (line: string) => progress?.(`${((Date.now() - began) / 1000).toFixed(1)}s ${line}`);
  const random = new Random(options.seed);
  const cluster = await ChaosCluster.start(options.seed, options);
  try {
    const configFile = join(cluster.paths.files, 'limits.yaml');
    writeFileSync(configFile, semaphoreConfigMap());
    const applied = await cluster.cli(['configmap', 'apply', '-f', configFile]);
    if (applied.code !== 0) throw new Error(`configmap apply failed: ${applied.stderr}`);
    cluster.startServices();
    say(`seed ${options.seed}: ${cluster.dir}, redis on ${cluster.port}`);

    const submissions = submitAll(cluster, options, random, began + options.durationMs + options.endTimeoutMs / 2);
    const sampler = sampleHolders(cluster);
    await injectFaults(cluster, options, random, began, say);
    const submitted = await submissions;
    say(`faults over; ${submitted.acknowledged.size} submitted, waiting for them to end`);
    const ends = await awaitEnds(cluster, submitted.acknowledged, options.endTimeoutMs);
    const maxHolders = await sampler.stop();
    say(`${ends.filter((e) => e.phase === 'Succeeded').length}/${ends.length} succeeded`);

    const locksAtEnd = await settledLocks(cluster);
    const runsFile = join(cluster.paths.witness, RUNS_FILE);
    const nodes = judgeRuns(existsSync(runsFile) ? readFileSync(runsFile, 'utf8') : '', cluster.killLog.events);
    const { deleteFailures, keys } = await deleteAll(cluster, [...new Set([...ends.map((e) => e.name), ...submitted.acknowledged])]);

    const count = <T>(items: T[], key: (item: T) => string) => items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }), {});
    const { killLog } = cluster;
    const report: ChaosReport = {
      seed: options.seed,
      options: settings,
      dir: cluster.dir,
      redisFsync: REDIS_FSYNC,
      elapsedS: Math.round((Date.now() - began) / 1000),
      submissions: { acknowledged: submitted.acknowledged.size, retried: submitted.retried, abandoned: submitted.abandoned },
      kills: { scheduler: killLog.kills('scheduler').length, worker: killLog.kills('worker').length, redis: killLog.kills('redis').length },
      workflows: {
        byPhase: count(ends, (e) => e.phase),
        notSucceeded: ends.filter((e) => e.phase !== 'Succeeded'),
        missing: [...submitted.acknowledged].filter((n) => !ends.some((e) => e.name === n)),
      },
      nodes: { ...nodes, rerunsByCause: count(nodes.reruns.flatMap((r) => r.causes), (cause) => cause) },
      maxHolders,
      locksAtEnd,
      keysAfterDelete: keys,
      deleteFailures,
      unexpectedExits: killLog.unexpectedExits().map((exit) => ({ ...exit, logTail: cluster.logTail(exit.process) })),
      violations: [],
    };
    report.violations = violations(report);
    return report;
  } finally {
    await cluster.close();
  }
}

/** Submits the workloads spread over the first 70% of the run; a failed try is repeated each second. */
async function submitAll(cluster: ChaosCluster, options: ChaosOptions, random: Random, deadline: number) {
  const acknowledged = new Set<string>();
  const retried: { name: string; error: string }[] = [];
  const abandoned: string[] = [];
  const workloads = Array.from({ length: options.workflows }, (_, i) => workload(`chaos-${options.seed}-${i + 1}`, KINDS[i % KINDS.length]!, cluster.paths.witness, random));
  await Promise.all(
    workloads.map(async (w, i) => {
      await sleep((options.durationMs * 0.7 * i) / options.workflows);
      const file = join(cluster.paths.files, `${w.name}.yaml`);
      writeFileSync(file, w.yaml);
      for (;;) {
        const result = await cluster.cli(['submit', file]);
        if (result.code === 0) return void acknowledged.add(w.name);
        // The CLI's own message is its last line (ioredis may log connection errors before it).
        const error = result.stderr.trim().split('\n').at(-1) ?? '';
        // A failed try that stored the workflow anyway makes the next one find its name taken.
        if (/already exists/.test(error)) return void acknowledged.add(w.name);
        retried.push({ name: w.name, error });
        if (Date.now() > deadline) return void abandoned.push(w.name);
        await sleep(1000);
      }
    }),
  );
  return { acknowledged, retried, abandoned };
}

/** Holders of each lock, sampled every 100 ms while the run goes on: never more than the lock's limit. */
function sampleHolders(cluster: ChaosCluster): { stop(): Promise<Record<string, number>> } {
  const maxHolders: Record<string, number> = {};
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      // While Redis is down the read waits in the client's queue, and the sample comes late.
      const { holders } = await lockState(cluster.client, PREFIX);
      for (const [lock, list] of Object.entries(holders)) maxHolders[lock] = Math.max(maxHolders[lock] ?? 0, list.length);
      await sleep(100);
    }
  })();
  return { stop: async () => ((sampling = false), await loop, maxHolders) };
}

/**
 * The fault plan comes from the seed: kill times spread over the run, targets weighted worker 4 :
 * scheduler 3 : Redis 2, with the first three kills one of each role so that a short run kills a
 * scheduler, a worker and Redis; each is started again after 0.2-2.5 s.
 */
async function injectFaults(cluster: ChaosCluster, options: ChaosOptions, random: Random, began: number, say: (line: string) => void): Promise<void> {
  const roles = (['scheduler', 'worker', 'redis'] as Role[]).sort(() => random.next() - 0.5);
  const plan = Array.from({ length: options.kills }, (_, i) => ({
    at: options.durationMs * (0.08 + 0.8 * random.next()),
    role: i < 3 ? roles[i]! : random.weighted<Role>([['worker', 4], ['scheduler', 3], ['redis', 2]]),
    downMs: random.int(200, 2500),
    pick: random.next(),
  })).sort((a, b) => a.at - b.at);
  const restarts: Promise<void>[] = [];
  for (const fault of plan) {
    await sleep(began + fault.at - Date.now());
    const candidates = cluster.all.filter((p) => p.spec.role === fault.role && p.running);
    const target = candidates[Math.floor(fault.pick * candidates.length)];
    if (!target) continue;
    say(`kill ${target.spec.name} (down ${fault.downMs} ms)`);
    await target.kill();
    restarts.push(sleep(fault.downMs).then(() => target.start()));
  }
  await sleep(began + options.durationMs - Date.now());
  await Promise.all(restarts);
  // Anything that died on its own is started again too, so the workflows can still end.
  for (const p of cluster.all) p.start();
}

/** Waits (bounded) until every workflow that exists, acknowledged or not, has ended. */
async function awaitEnds(cluster: ChaosCluster, acknowledged: Set<string>, timeoutMs: number): Promise<WorkflowEnd[]> {
  const endBy = Date.now() + timeoutMs;
  for (;;) {
    const ends = await workflowPhases(cluster.client, PREFIX);
    if ((ends.every((e) => ENDED.has(e.phase)) && ends.length >= acknowledged.size) || Date.now() > endBy) return ends;
    await sleep(1000);
  }
}

/** Locks go back in the transition that ends their holder, or in the sweep a second later: wait up to 10 s. */
async function settledLocks(cluster: ChaosCluster): Promise<LockState> {
  let locks = await lockState(cluster.client, PREFIX);
  for (let i = 0; i < 10 && countEntries(locks.holders) + countEntries(locks.waiters) + locks.requests > 0; i++) {
    await sleep(1000);
    locks = await lockState(cluster.client, PREFIX);
  }
  return locks;
}

/** `regatta delete` of every workflow, four at a time; then what remains, given up to 10 s to go. */
async function deleteAll(cluster: ChaosCluster, names: string[]): Promise<{ deleteFailures: { name: string; error: string }[]; keys: KeysAfterDelete }> {
  const deleteFailures: { name: string; error: string }[] = [];
  for (let i = 0; i < names.length; i += 4) {
    const batch = names.slice(i, i + 4);
    const results = await Promise.all(batch.map((name) => cluster.cli(['delete', name])));
    results.forEach((r, k) => r.code !== 0 && deleteFailures.push({ name: batch[k]!, error: r.stderr.trim() }));
  }
  let keys = await keysAfterDelete(cluster.client, PREFIX);
  for (let i = 0; i < 10 && (keys.leftover.length > 0 || Object.keys(keys.leftoverEntries).length > 0); i++) {
    await sleep(1000);
    keys = await keysAfterDelete(cluster.client, PREFIX);
  }
  return { deleteFailures, keys };
}

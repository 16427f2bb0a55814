// Reads the run record the workflows' containers append to and judges every node that ran more than
// once against the kill log: a rerun is allowed only when the worker that ran the earlier run was killed
// after that run started and before the next one did.
import type { LifeEvent } from './processes.js';

export interface Run {
  worker: string;
  start: number;
  end?: number;
}

export type RerunCause = 'worker killed during the run' | 'worker killed after the run, before its result was applied' | 'unexplained';

export interface Rerun {
  workflow: string;
  pod: string;
  runs: Run[];
  /** One per run after the first. */
  causes: RerunCause[];
}

export interface WitnessReport {
  /** Start lines in the record. */
  runs: number;
  /** Distinct (workflow, pod) pairs that started. */
  pods: number;
  reruns: Rerun[];
  /** Runs whose end line was written after their worker was SIGKILLed: the node's process outlived it. */
  outlivedWorker: { workflow: string; pod: string; run: Run; killedAt: number }[];
}

/** Parses `start|end <workflow> <pod> <HOME> <ms>` lines; the worker is the last part of HOME. */
export function parseRuns(text: string): Map<string, { workflow: string; pod: string; runs: Run[] }> {
  const pods = new Map<string, { workflow: string; pod: string; runs: Run[] }>();
  const ends: { key: string; worker: string; at: number }[] = [];
  for (const line of text.split('\n')) {
    const [event, workflow, pod, home, ms] = line.trim().split(' ');
    if (!event || !workflow || !pod || !home || !ms) continue;
    const key = `${workflow} ${pod}`;
    const worker = home.slice(home.lastIndexOf('/') + 1);
    if (event === 'start') {
      const entry = pods.get(key) ?? { workflow, pod, runs: [] };
      entry.runs.push({ worker, start: Number(ms) });
      pods.set(key, entry);
    } else if (event === 'end') ends.push({ key, worker, at: Number(ms) });
  }
  // Each end closes the latest open run of its pod on the same worker that started before it.
  for (const { key, worker, at } of ends) {
    const open = pods
      .get(key)
      ?.runs.filter((run) => run.worker === worker && run.end === undefined && run.start <= at)
      .at(-1);
    if (open) open.end = at;
  }
  for (const entry of pods.values()) entry.runs.sort((a, b) => a.start - b.start);
  return pods;
}

export function judgeRuns(text: string, lifeEvents: LifeEvent[]): WitnessReport {
  const pods = parseRuns(text);
  const workerKills = lifeEvents.filter((e) => e.what === 'kill' && e.role === 'worker');
  const killOf = (worker: string, from: number, to: number) => workerKills.find((k) => k.process === worker && k.at >= from && k.at <= to);
  const reruns: Rerun[] = [];
  const outlivedWorker: WitnessReport['outlivedWorker'] = [];
  let runs = 0;
  for (const { workflow, pod, runs: list } of pods.values()) {
    runs += list.length;
    for (const run of list) {
      const kill = run.end === undefined ? undefined : killOf(run.worker, run.start, run.end);
      // Times in the record are the node's clock, the kill log's the harness's: the same host.
      if (kill) outlivedWorker.push({ workflow, pod, run, killedAt: kill.at });
    }
    if (list.length < 2) continue;
    const causes = list.slice(1).map((next, i): RerunCause => {
      const earlier = list[i]!;
      const end = earlier.end ?? next.start;
      if (killOf(earlier.worker, earlier.start, end)) return 'worker killed during the run';
      if (killOf(earlier.worker, end, next.start)) return 'worker killed after the run, before its result was applied';
      return 'unexplained';
    });
    reruns.push({ workflow, pod, runs: list, causes });
  }
  return { runs, pods: pods.size, reruns, outlivedWorker };
}

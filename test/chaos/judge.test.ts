// The chaos report's judges, on made-up evidence: which reruns the kill log explains, and which keys
// count as a data set's global keys. (The chaos run itself cannot show that they would catch a fault.)
import { describe, expect, it } from 'vitest';
import { isGlobalKey } from './inspect.js';
import type { LifeEvent } from './processes.js';
import { judgeRuns } from './witness.js';

const kill = (process: string, at: number): LifeEvent => ({ at, what: 'kill', process, role: 'worker', pid: 1 });
const line = (event: 'start' | 'end', pod: string, worker: string, at: number) => `${event} wf ${pod} /tmp/run/home/${worker} ${at}`;

describe('judging reruns by the kill log', () => {
  it('explains a rerun only by a kill of the worker that ran the earlier run, between the two starts', () => {
    const record = [
      line('start', 'a', 'worker-1', 100), // killed under it: explained
      line('start', 'a', 'worker-2', 900),
      line('end', 'a', 'worker-2', 1000),
      line('start', 'b', 'worker-1', 100), // ended, its worker killed before the rerun: explained, the other cause
      line('end', 'b', 'worker-1', 200),
      line('start', 'b', 'worker-2', 900),
      line('end', 'b', 'worker-2', 950),
      line('start', 'c', 'worker-2', 100), // another worker was killed: unexplained
      line('end', 'c', 'worker-2', 200),
      line('start', 'c', 'worker-3', 900),
      line('end', 'c', 'worker-3', 950),
      line('start', 'd', 'worker-3', 100), // ran once
      line('end', 'd', 'worker-3', 200),
    ].join('\n');
    const report = judgeRuns(record, [kill('worker-1', 500)]);
    expect(report).toMatchObject({ runs: 7, pods: 4, outlivedWorker: [] });
    expect(Object.fromEntries(report.reruns.map((r) => [r.pod, r.causes]))).toEqual({
      a: ['worker killed during the run'],
      b: ['worker killed after the run, before its result was applied'],
      c: ['unexplained'],
    });
  });

  it('notices a run that ended after its worker was killed', () => {
    const record = [line('start', 'a', 'worker-1', 100), line('end', 'a', 'worker-1', 700)].join('\n');
    expect(judgeRuns(record, [kill('worker-1', 500)]).outlivedWorker).toMatchObject([{ pod: 'a', killedAt: 500 }]);
  });
});

describe('global keys', () => {
  it('are the data set’s own; anything of a workflow, a lock holder or a job is a leftover', () => {
    const global = ['instance', 'schedulers', '{s3}:events', '{s0}:lease', '{s0}:epoch', '{s12}:timers', '{resources}:configmaps', '{sync}:locks', '{sync}:limits', '{pool-default}:nodes:meta', '{pool-default}:node-batches:stalled-check', '{pool-default}:nodes:metrics:completed'];
    const leftover = ['{wf:u1}:record', '{wf:u1}:logs', 'names:default', '{sync}:requests', '{sync}:holders:default/Mutex/m', '{sync}:waiters:x', '{pool-default}:nodes:wf-1/0', '{pool-default}:nodes:wf-1/0:lock', '{memo}:default/c', 'other:instance'];
    expect(global.filter((key) => !isGlobalKey(`chaos:${key}`, 'chaos'))).toEqual([]);
    expect(leftover.filter((key) => isGlobalKey(`chaos:${key}`, 'chaos'))).toEqual([]);
  });
});

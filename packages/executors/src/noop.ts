// An executor that finishes every node at once with success and empty outputs: for benchmarks of the
// scheduler itself (the equivalent of a simulated pod) and for dry runs of a workflow's shape.
import { argoTime } from '@regatta/spec';
import { type Executor, type NodeRunResult } from './executor.js';

export class NoopExecutor implements Executor {
  readonly name = 'noop';

  run(): Promise<NodeRunResult> {
    const now = argoTime();
    return Promise.resolve({ phase: 'Succeeded', outputs: {}, startedAt: now, finishedAt: now });
  }
}

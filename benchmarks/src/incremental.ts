// The engine's cost to apply one finished node, in a 100-node and a 10,000-node workflow: the
// architecture's rule is that the second costs about what the first does.
import { applyEvent, WorkflowState, type NodeJob } from '@regatta/engine';
import { loadWorkflow } from '@regatta/spec';
import { wide } from './workloads.js';

/** Finished nodes applied per trial, at either size: ~1 ms of work, long enough to time. */
const EVENTS_PER_TRIAL = 1_000;

/** Median over alternating trials: single trials at this scale are dominated by GC pauses. */
export function incrementalCost(trials = 15): { usPerEvent100: number; usPerEvent10k: number } {
  microsecondsPerEvent(10_000); // warms the JIT so neither size pays for compilation
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < trials; i++) {
    small.push(microsecondsPerEvent(100));
    large.push(microsecondsPerEvent(10_000));
  }
  return { usPerEvent100: median(small), usPerEvent10k: median(large) };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Started workflows of `nodes` tasks, as many as it takes to finish EVENTS_PER_TRIAL nodes while
 * leaving each unfinished (its last tenth still running), then the time to apply those results.
 */
function microsecondsPerEvent(nodes: number): number {
  const perWorkflow = Math.floor(nodes * 0.9) - 1;
  const started: { state: WorkflowState; jobs: NodeJob[] }[] = [];
  for (let left = EVENTS_PER_TRIAL; left > 0; left -= perWorkflow) started.push(start(nodes, Math.min(left, perWorkflow), started.length));
  const begin = performance.now();
  for (const { state, jobs } of started) {
    for (const job of jobs) finish(state, job);
  }
  return ((performance.now() - begin) * 1000) / EVENTS_PER_TRIAL;
}

function start(nodes: number, events: number, index: number): { state: WorkflowState; jobs: NodeJob[] } {
  const workflow = loadWorkflow(wide(nodes).yaml, 'incremental.yaml');
  workflow.metadata = { name: `inc-${index}`, namespace: 'default', uid: `inc-${index}` };
  const state = new WorkflowState(workflow);
  const { commands } = applyEvent(state, { type: 'workflowSubmitted' }, '2026-01-01T00:00:00Z');
  state.takeChanges();
  const [first, ...jobs] = commands.flatMap((c) => (c.type === 'dispatchNode' ? [c.job] : []));
  // The first result builds what a workflow keeps for the rest (e.g. its DAG's plan): not timed at either size.
  finish(state, first!);
  return { state, jobs: jobs.slice(0, events) };
}

function finish(state: WorkflowState, job: NodeJob): void {
  applyEvent(state, { type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded', outputs: { exitCode: '0' } }, '2026-01-01T00:00:01Z');
  state.takeChanges();
}

// The engine's cost to apply one finished node, in a 100-node and a 10,000-node workflow: the
// architecture's rule is that the second costs about what the first does.
import { applyEvent, WorkflowState } from '@regatta/engine';
import { loadWorkflow } from '@regatta/spec';
import { wide } from './workloads.js';

/** Median over alternating trials: single trials at this scale are dominated by GC pauses. */
export function incrementalCost(trials = 15): { usPerEvent100: number; usPerEvent10k: number } {
  microsecondsPerEvent(10_000, 1_000); // warms the JIT so neither size pays for compilation
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < trials; i++) {
    small.push(microsecondsPerEvent(100, 90));
    large.push(microsecondsPerEvent(10_000, 1_000));
  }
  return { usPerEvent100: median(small), usPerEvent10k: median(large) };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function microsecondsPerEvent(nodes: number, events: number): number {
  const workflow = loadWorkflow(wide(nodes).yaml, 'incremental.yaml');
  workflow.metadata = { name: 'inc', namespace: 'default', uid: 'inc' };
  const state = new WorkflowState(workflow);
  const { commands } = applyEvent(state, { type: 'workflowSubmitted' }, '2026-01-01T00:00:00Z');
  state.takeChanges();
  const jobs = commands.flatMap((c) => (c.type === 'dispatchNode' ? [c.job] : [])).slice(0, events);
  const started = performance.now();
  for (const job of jobs) {
    applyEvent(state, { type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded', outputs: { exitCode: '0' } }, '2026-01-01T00:00:01Z');
    state.takeChanges();
  }
  return ((performance.now() - started) * 1000) / jobs.length;
}

// Small facts every process shares: how Argo writes times, and which workflow and node phases are final.
import type { NodePhase, WorkflowPhase } from './types.js';

let cachedSecond = NaN;
let cachedTime = '';

/** RFC 3339 at second precision, as Argo writes `startedAt`, `finishedAt` and `creationTimestamp`. */
export function argoTime(date?: Date): string {
  // Written once per second, not per call: a busy worker stamps thousands of nodes a second.
  const second = Math.floor((date?.getTime() ?? Date.now()) / 1000);
  if (second !== cachedSecond) {
    cachedTime = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    cachedSecond = second;
  }
  return cachedTime;
}

/** Succeeded, Failed and Error are final; a workflow in one of them changes no more. */
export function workflowEnded(phase: WorkflowPhase | string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

const NODE_ENDED: ReadonlySet<string> = new Set<NodePhase>(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);

/** A node in one of these phases has ended (Argo's "fulfilled"). */
export function nodeEnded(phase: NodePhase | string): boolean {
  return NODE_ENDED.has(phase);
}

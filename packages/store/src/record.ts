// How a workflow's status is kept in its record: without nodes, which live in their own hash, one
// field each, so a transition writes only the nodes it changed.
import type { WorkflowStatus } from '@regatta/spec';

export function statusJson(status: WorkflowStatus): string {
  const { nodes: _nodes, ...rest } = status;
  return JSON.stringify(rest);
}

// `regatta retry`: Argo's retry of a Failed or Error workflow. Its failed, errored and omitted nodes
// and its exit handlers are removed, succeeded ones kept, and it runs again from its entrypoint,
// passing over every node that succeeded before.
import type { NodeStatus } from '@regatta/spec';
import type { Transition } from '../core/transition.js';
import { beginWorkflow } from '../core/workflow.js';

function mustRunAgain(node: NodeStatus): boolean {
  return node.phase === 'Failed' || node.phase === 'Error' || node.phase === 'Omitted' || node.nodeFlag?.hooked === true;
}

/** Runs a Failed or Error workflow again; control.ts refuses a workflow in any other phase. */
export function retryWorkflow(t: Transition): void {
  const { state } = t;
  const { spec } = state.workflow;
  const nodes = state.status.nodes;
  for (const node of Object.values(nodes)) if (mustRunAgain(node)) state.deleteNode(node.id);
  for (const node of Object.values(nodes)) {
    const children = node.children?.filter((id) => id in nodes);
    if (children?.length !== node.children?.length) {
      node.children = children;
      state.touch(node.id);
    }
  }
  state.status.phase = 'Running';
  delete state.status.finishedAt;
  delete state.status.message;
  delete spec.shutdown;
  state.touchSpec();
  state.reindex();
  beginWorkflow(t);
}

// Argo's podGC, in local mode: what a finished pod leaves behind is its log lines in Redis (its
// process and folder are gone already), so that is what is collected, when the strategy says so.
import type { NodeStatus } from '@regatta/spec';
import { nodeTemplate } from '../templates/call-spec.js';
import type { Transition } from '../core/transition.js';

interface PodGC {
  strategy?: 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess';
  labelSelector?: { matchLabels?: Record<string, string> };
}

function podGC(t: Transition): PodGC | undefined {
  return t.state.workflow.spec.podGC as PodGC | undefined;
}

/** Only pods whose template labels match the selector's matchLabels are collected. */
function selected(t: Transition, node: NodeStatus, gc: PodGC): boolean {
  const wanted = gc.labelSelector?.matchLabels;
  if (!wanted) return true;
  const labels = nodeTemplate(t.state, node)?.metadata?.labels ?? {};
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** A pod ended: collect it now under OnPodCompletion, or OnPodSuccess when it succeeded. */
export function collectPod(t: Transition, node: NodeStatus): void {
  const gc = podGC(t);
  if (node.type !== 'Pod' || !gc) return;
  const now = gc.strategy === 'OnPodCompletion' || (gc.strategy === 'OnPodSuccess' && node.phase === 'Succeeded');
  if (now && selected(t, node, gc)) t.commands.push({ type: 'deleteNodeLogs', nodeIds: [node.id] });
}

/** The workflow ended: collect its pods under OnWorkflowCompletion, or OnWorkflowSuccess when it succeeded. */
export function collectPods(t: Transition): void {
  const gc = podGC(t);
  if (!gc) return;
  const now = gc.strategy === 'OnWorkflowCompletion' || (gc.strategy === 'OnWorkflowSuccess' && t.state.status.phase === 'Succeeded');
  if (!now) return;
  const nodeIds = Object.values(t.state.status.nodes).filter((node) => node.type === 'Pod' && selected(t, node, gc)).map((node) => node.id);
  if (nodeIds.length > 0) t.commands.push({ type: 'deleteNodeLogs', nodeIds });
}

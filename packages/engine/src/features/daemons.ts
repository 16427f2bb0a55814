// Argo's daemons: a `daemon: true` template's node keeps running once its process has started, and the
// steps or DAG around it go on as if it had ended ("daemoned"). It is reachable on loopback (local
// mode's pod IP), and stopped, as Succeeded, when the steps or DAG that started it ends.
import type { NodeStatus } from '@regatta/spec';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';

/** Loopback: every local node shares the host's network, as a pod's IP would reach it. */
export const LOCAL_POD_IP = '127.0.0.1';

/** The daemon's process runs: its scope treats it as done; false when it was not waiting for that. */
export function markDaemoned(t: Transition, node: NodeStatus): boolean {
  if (node.type !== 'Pod' || node.phase !== 'Running' || node.daemoned) return false;
  node.daemoned = true;
  node.podIP = LOCAL_POD_IP;
  t.state.daemons.add(node.id);
  t.state.touch(node.id);
  return true;
}

/** Stops the daemons started in a steps or DAG node (or in the whole workflow, without one). */
export function stopDaemons(t: Transition, boundaryId: string | undefined): void {
  const stopped: string[] = [];
  for (const id of t.state.daemons) {
    const node = t.state.node(id);
    if (!node || isFulfilled(node.phase)) continue;
    if (boundaryId !== undefined && node.boundaryID !== boundaryId) continue;
    stopped.push(node.id);
    t.settle(node, 'Succeeded');
  }
  if (stopped.length > 0) t.commands.push({ type: 'cancelNodes', nodeIds: stopped });
}

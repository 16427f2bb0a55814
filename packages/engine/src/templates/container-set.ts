// Argo's containerSet: one Pod node runs several containers in dependency order. Each container gets a
// Container child node, created Pending when the pod is dispatched and linked as Argo links them (the
// roots under the pod, each dependent under the containers it depends on); the worker's result updates
// them. Container nodes are never settled through the transition: they are views of one pod, not calls,
// so no step, DAG, admission queue or exit handler ever reacts to them.
import type { ContainerResult, ContainerSetContainer, NodeStatus, Template } from '@regatta/spec';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';

/** The container whose outputs are the node's: the one named `main`, else the last. */
export function mainContainerOf(containers: ContainerSetContainer[]): ContainerSetContainer | undefined {
  return containers.find((c) => c.name === 'main') ?? containers.at(-1);
}

export function containerSetOf(template: Template): ContainerSetContainer[] | undefined {
  const containers = template.containerSet?.containers;
  if (!Array.isArray(containers)) return undefined;
  // The set's own volumeMounts are every container's.
  const shared = template.containerSet?.volumeMounts ?? [];
  return shared.length > 0 ? containers.map((container) => ({ ...container, volumeMounts: [...(container.volumeMounts ?? []), ...shared] })) : containers;
}

/** Argo's name of a container's node: `<pod node name>.<container name>`. */
export function containerNodeName(pod: NodeStatus, container: string): string {
  return `${pod.name}.${container}`;
}

/** Creates the pod's Container children, Pending (again, for a pod that runs anew after a workflow retry). */
export function createContainerNodes(t: Transition, pod: NodeStatus, containers: ContainerSetContainer[]): void {
  const { state } = t;
  if (pod.children?.length) {
    pod.children = pod.children.filter((id) => state.node(id)?.type !== 'Container');
  }
  const fields = { boundaryID: pod.boundaryID, phase: 'Pending' as const, now: t.now };
  const ids = new Map<string, string>();
  for (const container of containers) {
    const node = state.createNode(containerNodeName(pod, container.name), 'Container', { ...fields, displayName: container.name });
    delete node.startedAt;
    ids.set(container.name, node.id);
  }
  for (const container of containers) {
    const id = ids.get(container.name)!;
    const dependencies = (container.dependencies ?? []).filter((name) => ids.has(name));
    if (dependencies.length === 0) state.addChild(pod.id, id);
    for (const name of dependencies) state.addChild(ids.get(name)!, id);
  }
}

/** Records each container's end as the worker reports it. */
export function applyContainerResults(t: Transition, pod: NodeStatus, results: ContainerResult[]): void {
  for (const result of results) {
    const node = t.state.nodeByName(containerNodeName(pod, result.name));
    if (!node || node.type !== 'Container' || isFulfilled(node.phase)) continue;
    node.phase = result.phase;
    if (result.startedAt !== undefined) node.startedAt = result.startedAt;
    node.finishedAt = result.finishedAt ?? t.now;
    if (result.message) node.message = result.message;
    if (result.exitCode !== undefined) node.outputs = { exitCode: String(result.exitCode) };
    t.state.touch(node.id);
  }
}

/**
 * The pod ended: containers the worker did not report (the pod was stopped, or could not start) end
 * with its phase and message. Walks the pod's containers only, so it costs O(containers).
 */
export function closeContainerNodes(t: Transition, pod: NodeStatus): void {
  const seen = new Set<string>();
  const pending = [...(pod.children ?? [])];
  while (pending.length > 0) {
    const id = pending.pop()!;
    const node = t.state.node(id);
    if (seen.has(id) || node?.type !== 'Container') continue;
    seen.add(id);
    pending.push(...(node.children ?? []));
    if (isFulfilled(node.phase)) continue;
    node.phase = pod.phase === 'Succeeded' ? 'Succeeded' : pod.phase === 'Error' ? 'Error' : 'Failed';
    node.finishedAt = pod.finishedAt ?? t.now;
    if (pod.message && node.phase !== 'Succeeded') node.message = pod.message;
    t.state.touch(id);
  }
}

/** Argo's getOutboundNodes for a containerSet pod: the containers nothing depends on. */
export function containerLeaves(t: { node(id: string): NodeStatus | undefined }, node: NodeStatus): string[] | undefined {
  const containers = (node.children ?? []).filter((id) => t.node(id)?.type === 'Container');
  if (containers.length === 0) return undefined;
  const leaves: string[] = [];
  const seen = new Set<string>();
  const walk = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const children = (t.node(id)?.children ?? []).filter((child) => t.node(child)?.type === 'Container');
    if (children.length === 0) leaves.push(id);
    else children.forEach(walk);
  };
  containers.forEach(walk);
  return leaves;
}

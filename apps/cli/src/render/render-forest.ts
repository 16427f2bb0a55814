// Where `argo get` draws each node (Argo's `convertToRenderTrees`): a node hangs under the step group
// or retry node that lists it in `children`, else under its boundary (the Steps or DAG node it runs
// in). So a DAG task that depends on several tasks still appears once, under its DAG.
import type { NodeStatus, NodeType } from '@regatta/spec';

export interface RenderNode {
  node: NodeStatus;
  /** In Argo's order: by start second, then by loop index or display name. */
  children: RenderNode[];
}

const BOUNDARIES: ReadonlySet<NodeType> = new Set(['Steps', 'DAG']);
const GROUPS: ReadonlySet<NodeType> = new Set(['StepGroup', 'Retry']);
const EXECUTIONS: ReadonlySet<NodeType> = new Set(['Pod', 'Skipped', 'Suspend', 'HTTP', 'Plugin']);

/** The trees' roots by node id: nodes in no group and no boundary (the entry node, the exit handler). */
export function buildRenderForest(nodes: Readonly<Record<string, NodeStatus>>): Map<string, RenderNode> {
  const drawn = Object.values(nodes).filter((n) => BOUNDARIES.has(n.type) || GROUPS.has(n.type) || EXECUTIONS.has(n.type));
  const byId = new Map(drawn.map((node) => [node.id, { node, children: [] } as RenderNode]));
  const groupOf = new Map<string, RenderNode>();
  for (const render of byId.values()) {
    if (!GROUPS.has(render.node.type)) continue;
    for (const child of render.node.children ?? []) groupOf.set(child, render);
  }
  const roots = new Map<string, RenderNode>();
  for (const render of byId.values()) {
    const { id, boundaryID } = render.node;
    const boundary = boundaryID === undefined ? undefined : byId.get(boundaryID);
    const parent = groupOf.get(id) ?? (boundary && BOUNDARIES.has(boundary.node.type) ? boundary : undefined);
    if (parent) parent.children.push(render);
    else if (!boundaryID) roots.set(id, render);
  }
  for (const render of byId.values()) render.children.sort((a, b) => compareRenderOrder(a.node, b.node));
  return roots;
}

/** Argo's `insertSorted`; API timestamps carry whole seconds, so siblings started together sort by name. */
function compareRenderOrder(a: NodeStatus, b: NodeStatus): number {
  const startA = startSecond(a);
  const startB = startSecond(b);
  if (startA !== startB) return startA < startB ? -1 : 1;
  const indexA = loopIndex(a.displayName);
  const indexB = loopIndex(b.displayName);
  if (indexA >= 0 && indexB >= 0) return indexA - indexB;
  return a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0;
}

function startSecond(node: NodeStatus): number {
  const ms = Date.parse(node.startedAt ?? '');
  return Number.isNaN(ms) ? -Infinity : Math.floor(ms / 1000);
}

/** Argo's `RecoverIndexFromNodeName`: `sleep(8:eight)` → 8, or -1 when the name is not a loop item. */
function loopIndex(displayName: string): number {
  const open = displayName.indexOf('(');
  const colon = displayName.indexOf(':');
  if (open < 0 || colon <= open) return -1;
  const digits = displayName.slice(open + 1, colon);
  return /^[+-]?\d+$/.test(digits) ? Number(digits) : -1;
}

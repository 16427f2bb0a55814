// The node tree of `argo get` (Argo's `renderNodes`/`renderChild`/`printNode`): step groups and
// single-attempt retries draw no row of their own, a group's parallel steps fork with `┬─`, and each
// row shows template, node id, duration and message in aligned columns.
import { nodePodName, type NodeStatus, type Workflow } from '@regatta/spec';
import { formatDuration } from './humanize.js';
import { nodeIcon } from './icons.js';
import { buildRenderForest, type RenderNode } from './render-forest.js';
import { alignColumns, fitWidth } from './table.js';

export interface RenderOptions {
  /** The time a running node's duration runs to. */
  now: Date;
  /** Colour the status icons; without it the output holds no escape codes. */
  color: boolean;
  /** The terminal's columns: no line is longer. */
  width?: number;
  /** `-o wide`: Argo's extra columns, ARTIFACTS, RESOURCESDURATION and NODENAME. */
  wide?: boolean;
}

const HEADER = ['STEP', 'TEMPLATE', 'PODNAME', 'DURATION', 'MESSAGE'];
const WIDE_HEADER = ['STEP', 'TEMPLATE', 'PODNAME', 'DURATION', 'ARTIFACTS', 'MESSAGE', 'RESOURCESDURATION', 'NODENAME'];

/** What a row is drawn from besides its node. */
interface RowContext extends RenderOptions {
  workflowName: string;
  nodes: Record<string, NodeStatus>;
}

export function renderNodeTree(workflow: Workflow, options: RenderOptions): string {
  const name = workflow.metadata.name ?? '';
  const nodes = workflow.status?.nodes ?? {};
  const roots = buildRenderForest(nodes);
  const entry = roots.get(name);
  if (!entry) return '';
  const rows = [options.wide ? WIDE_HEADER : HEADER];
  const context: RowContext = { ...options, workflowName: name, nodes };
  drawTree(entry, ' ', ' ', rows, context);
  const exitNode = Object.values(nodes).find((node) => node.name === `${name}.onExit`);
  const exit = exitNode && roots.get(exitNode.id);
  if (exit) {
    rows.push(['']);
    drawTree(exit, ' ', ' ', rows, context);
  }
  const lines = alignColumns(rows);
  const { width } = options;
  return (width === undefined ? lines : lines.map((line) => fitWidth(line, width))).join('\n');
}

function drawTree(render: RenderNode, nodePrefix: string, childPrefix: string, rows: string[][], options: RowContext): void {
  const { hidden, forkChildren } = rowRule(render.node);
  if (!hidden) rows.push(nodeRow(render.node, nodePrefix, options));
  const last = render.children.length - 1;
  render.children.forEach((child, i) => {
    const [branch, below] = branchOf(hidden, forkChildren, i, last);
    // The first child of a hidden node takes that node's place on its line.
    const prefix = (hidden && i === 0 ? nodePrefix : childPrefix) + branch;
    drawTree(child, prefix, childPrefix + below, rows, options);
  });
}

/** Argo's `filterNode`: which nodes draw no row, and whether their children then fork from their place. */
function rowRule(node: NodeStatus): { hidden: boolean; forkChildren: boolean } {
  if (node.type === 'StepGroup') return { hidden: true, forkChildren: true };
  const hidden = (node.type === 'Retry' && node.children?.length === 1) || (node.type === 'Skipped' && node.phase === 'Omitted');
  return { hidden, forkChildren: false };
}

/** The branch drawn before child `i` of `last + 1`, and the prefix carried to that child's own children. */
function branchOf(parentHidden: boolean, fork: boolean, i: number, last: number): [branch: string, below: string] {
  if (parentHidden && !fork) return ['', ''];
  if (parentHidden && last === 0) return ['──', '  '];
  if (parentHidden && i === 0) return ['┬─', '│ '];
  return i === last ? ['└─', '  '] : ['├─', '│ '];
}

/** Argo's `printNode`: a pod's name as Argo names it (nodePodName, as `logs` prints it). */
function nodeRow(node: NodeStatus, prefix: string, options: RowContext): string[] {
  const step = `${prefix}${nodeIcon(node, options.color)} ${node.displayName}`;
  const template = node.templateName ?? '';
  // One line per row, or widths and live redraws (which count lines) go wrong.
  const message = (node.message ?? '').replace(/\s*\n\s*/g, ' ');
  const runsPod = node.type === 'Pod';
  const pod = runsPod ? nodePodName(options.workflowName, node, options.nodes) : '';
  const duration = runsPod ? formatDuration(runTime(node, options.now)) : '';
  if (!options.wide) return [step, template, pod, duration, message];
  const artifacts = (node.outputs?.artifacts ?? []).map((artifact) => artifact.name).join(',');
  // Regatta measures no resource usage and runs no pods on Kubernetes nodes: RESOURCESDURATION and
  // NODENAME (Argo's hostNodeName) stay empty, as Argo's do for nodes without them.
  return [step, template, pod, duration, artifacts, message, '', ''];
}

/** Start to finish, or to `now` while the node runs; nothing before it starts. */
function runTime(node: NodeStatus, now: Date): number {
  if (!node.startedAt) return 0;
  return (node.finishedAt ? Date.parse(node.finishedAt) : now.getTime()) - Date.parse(node.startedAt);
}

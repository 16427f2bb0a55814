// The node tree of `argo get`: steps as groups (parallel steps fork with ┬), DAG tasks under their
// DAG, each row with template, node id, duration and message, columns aligned.
import type { NodeStatus, Workflow } from '@regatta/spec';
import { formatDuration, nodeDuration } from './duration.js';
import { phaseIcon } from './icons.js';

export interface RenderOptions {
  now: Date;
  color: boolean;
  width?: number;
}

interface Row {
  step: string;
  template: string;
  id: string;
  duration: string;
  message: string;
  /** Display width of `step` (icons and box characters are one column each, escapes none). */
  stepWidth: number;
}

export function renderNodeTree(workflow: Workflow, options: RenderOptions): string {
  const nodes = workflow.status?.nodes ?? {};
  const root = nodes[workflow.metadata.name ?? ''];
  if (!root) return '';
  const rows: Row[] = [];
  const byBoundary = new Map<string, NodeStatus[]>();
  for (const node of Object.values(nodes)) {
    if (node.boundaryID === undefined) continue;
    const list = byBoundary.get(node.boundaryID) ?? [];
    list.push(node);
    byBoundary.set(node.boundaryID, list);
  }
  const add = (node: NodeStatus, prefix: string, plainPrefix: string) => {
    const icon = phaseIcon(node.phase, options.color);
    const step = `${prefix}${icon} ${node.displayName}`;
    const duration = node.type === 'StepGroup' ? '' : formatDuration(nodeDuration(node.startedAt, node.finishedAt, options.now));
    rows.push({
      step,
      template: node.templateName ?? '',
      id: node.type === 'Pod' ? node.id : '',
      duration: node.phase === 'Skipped' || node.phase === 'Omitted' ? '' : duration,
      message: node.message ?? '',
      stepWidth: plainPrefix.length + 2 + node.displayName.length,
    });
  };
  const walk = (node: NodeStatus, childPrefix: string) => {
    if (node.type === 'Steps') walkSteps(node, childPrefix);
    else if (node.type === 'DAG') walkList(byBoundary.get(node.id) ?? [], childPrefix);
  };
  const walkList = (children: NodeStatus[], prefix: string) => {
    const ordered = [...children].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.name.localeCompare(b.name));
    ordered.forEach((child, i) => {
      const last = i === ordered.length - 1;
      const branch = `${prefix}${last ? '└─' : '├─'}`;
      add(child, branch, branch);
      walk(child, `${prefix}${last ? '  ' : '│ '}`);
    });
  };
  const walkSteps = (stepsNode: NodeStatus, prefix: string) => {
    const groups = (byBoundary.get(stepsNode.id) ?? []).filter((n) => n.type === 'StepGroup').sort((a, b) => groupIndex(a) - groupIndex(b));
    groups.forEach((group, g) => {
      const lastGroup = g === groups.length - 1;
      const steps = (group.children ?? []).map((id) => nodes[id]).filter((n): n is NodeStatus => n !== undefined && n.type !== 'StepGroup');
      steps.forEach((step, s) => {
        const lastStep = s === steps.length - 1;
        let branch: string;
        if (steps.length === 1) branch = lastGroup ? '└───' : '├───';
        else if (s === 0) branch = lastGroup ? '└─┬─' : '├─┬─';
        else branch = `${lastGroup ? '  ' : '│ '}${lastStep ? '└─' : '├─'}`;
        add(step, prefix + branch, prefix + branch);
        const below = steps.length === 1 || s === 0 ? (lastGroup ? '    ' : '│   ') : `${lastGroup ? '  ' : '│ '}${lastStep ? '  ' : '│ '}`;
        walk(step, prefix + below);
      });
    });
  };
  add(root, ' ', ' ');
  walk(root, ' ');
  return formatRows(rows, options.width);
}

function groupIndex(group: NodeStatus): number {
  return Number(/\[(\d+)\]$/.exec(group.name)?.[1] ?? 0);
}

function formatRows(rows: Row[], width: number | undefined): string {
  const header: Row = { step: 'STEP', template: 'TEMPLATE', id: 'PODNAME', duration: 'DURATION', message: 'MESSAGE', stepWidth: 4 };
  const all = [header, ...rows];
  const stepWidth = Math.max(...all.map((r) => r.stepWidth));
  const templateWidth = Math.max(...all.map((r) => r.template.length));
  const idWidth = Math.max(...all.map((r) => r.id.length));
  const durationWidth = Math.max(...all.map((r) => r.duration.length));
  return all
    .map((row) => {
      const line =
        row.step + ' '.repeat(stepWidth - row.stepWidth + 2) +
        row.template.padEnd(templateWidth + 2) +
        row.id.padEnd(idWidth + 2) +
        row.duration.padEnd(durationWidth + 2) +
        row.message;
      const trimmed = line.trimEnd();
      const extra = row.step.length - row.stepWidth; // colour escapes take no columns
      return width !== undefined && trimmed.length - extra > width ? trimmed.slice(0, width + extra) : trimmed;
    })
    .join('\n');
}

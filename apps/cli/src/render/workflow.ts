// The whole `argo get` view (Argo's `PrintWorkflowHelper`): the workflow's identity, status, times,
// progress and parameters, a blank line, then the node tree.
import type { Parameter, Workflow } from '@regatta/spec';
import { formatLongDuration, formatTimestamp } from './humanize.js';
import { isActiveSuspendNode } from './icons.js';
import { fitWidth } from './table.js';
import { renderNodeTree, type RenderOptions } from './tree.js';

export function renderWorkflow(workflow: Workflow, options: RenderOptions): string {
  const { metadata, status } = workflow;
  const { now, width } = options;
  const lines = [field('Name:', metadata.name ?? ''), field('Namespace:', metadata.namespace ?? ''), field('Status:', workflowStatus(workflow))];
  if (status?.message) lines.push(field('Message:', status.message));
  if (metadata.creationTimestamp) lines.push(field('Created:', formatTimestamp(metadata.creationTimestamp, now)));
  if (status?.startedAt) lines.push(field('Started:', formatTimestamp(status.startedAt, now)));
  if (status?.finishedAt) lines.push(field('Finished:', formatTimestamp(status.finishedAt, now)));
  if (status?.startedAt) {
    const end = status.finishedAt ? Date.parse(status.finishedAt) : now.getTime();
    lines.push(field('Duration:', formatLongDuration(end - Date.parse(status.startedAt))));
  }
  if (status?.progress) lines.push(field('Progress:', status.progress));
  lines.push(...parameterLines('Parameters:', workflow.spec.arguments?.parameters));
  lines.push(...parameterLines('Output Parameters:', status?.outputs?.parameters));
  const header = lines.join('\n').split('\n');
  const fitted = width === undefined ? header : header.map((line) => fitWidth(line, width));
  const tree = renderNodeTree(workflow, options);
  return tree ? `${fitted.join('\n')}\n\n${tree}` : fitted.join('\n');
}

/** Argo's `%-20s %v`. */
function field(label: string, value: string): string {
  return `${label.padEnd(20)} ${value}`.trimEnd();
}

/** A heading, then each parameter that has a value (Argo skips the others). */
function parameterLines(heading: string, parameters: readonly Parameter[] | undefined): string[] {
  if (!parameters?.length) return [];
  const valued = parameters.filter((p): p is Parameter & { value: string } => p.value !== undefined);
  return [field(heading, ''), ...valued.map((p) => field(`  ${p.name}:`, p.value))];
}

/** Argo's `printer.WorkflowStatus`, less `Failed (Terminated)`: Regatta's spec has no `shutdown` yet. */
function workflowStatus(workflow: Workflow): string {
  const phase = workflow.status?.phase ?? '';
  if (phase === '' || phase === 'Pending') return workflow.metadata.creationTimestamp ? 'Pending' : 'Unknown';
  const suspended = Object.values(workflow.status?.nodes ?? {}).some(isActiveSuspendNode);
  return phase === 'Running' && suspended ? 'Running (Suspended)' : phase;
}

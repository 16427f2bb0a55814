// The `argo get` summary: the workflow's identity, phase, times and parameters, then its node tree.
import type { Workflow } from '@regatta/spec';
import { formatDuration, nodeDuration } from './duration.js';
import { colorPhase } from './icons.js';
import { renderNodeTree, type RenderOptions } from './tree.js';

export function renderWorkflow(workflow: Workflow, options: RenderOptions): string {
  const { metadata, status } = workflow;
  const fields: [string, string | undefined][] = [
    ['Name', metadata.name],
    ['Namespace', metadata.namespace],
    ['Status', colorPhase(status?.phase || 'Pending', options.color)],
    ['Message', status?.message],
    ['Created', metadata.creationTimestamp],
    ['Started', status?.startedAt],
    ['Finished', status?.finishedAt],
    ['Duration', status?.startedAt ? formatDuration(nodeDuration(status.startedAt, status.finishedAt, options.now)) : undefined],
  ];
  const lines = fields.filter(([, value]) => value).map(([label, value]) => `${`${label}:`.padEnd(21)}${value}`);
  const parameters = workflow.spec.arguments?.parameters ?? [];
  if (parameters.length > 0) {
    lines.push('Parameters:');
    for (const p of parameters) lines.push(`  ${`${p.name}:`.padEnd(19)}${p.value ?? ''}`);
  }
  const tree = renderNodeTree(workflow, options);
  return tree ? `${lines.join('\n')}\n\n${tree}` : lines.join('\n');
}

// Argo's list options over workflow summaries: label selector, phases, creation and finish times,
// name prefix and limit. The filter is checked before anything is read, so bad input changes nothing.
import { matchesLabelSelector, parseLabelSelector, type WorkflowPhase } from '@regatta/spec';
import type { WorkflowSummary } from '@regatta/store';
import { ClientError, type ListOptions } from './client.js';

const PHASES: readonly WorkflowPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Error'];

/** A predicate for `options`; throws ClientError InvalidArgument (SpecError for the selector) naming the option that is wrong. */
export function listFilter(options: ListOptions): (summary: WorkflowSummary) => boolean {
  const selector = options.labelSelector === undefined ? undefined : parseLabelSelector(options.labelSelector, 'labelSelector');
  for (const phase of options.phases ?? []) {
    if (!PHASES.includes(phase)) throw new ClientError('InvalidArgument', `phases: unknown phase "${phase}": use ${PHASES.join(', ')}`);
  }
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0)) {
    throw new ClientError('InvalidArgument', `limit: must be a positive integer, got ${options.limit}`);
  }
  const phases = options.phases && new Set<WorkflowPhase>(options.phases);
  const createdAfter = time(options.createdAfter, 'createdAfter');
  const finishedBefore = time(options.finishedBefore, 'finishedBefore');
  return (summary) =>
    (selector === undefined || matchesLabelSelector(selector, summary.labels)) &&
    (phases === undefined || phases.has(summary.phase || 'Pending')) &&
    (createdAfter === undefined || Date.parse(createdOf(summary)) >= createdAfter) &&
    (finishedBefore === undefined || (summary.finishedAt !== undefined && Date.parse(summary.finishedAt) < finishedBefore)) &&
    (options.prefix === undefined || summary.name.startsWith(options.prefix));
}

/** When a workflow was created; one stored before creation times were recorded, when it started. */
export const createdOf = (summary: WorkflowSummary): string => summary.creationTimestamp ?? summary.startedAt ?? '';

/** Newest first; workflows created in the same second by name, then namespace, so every transport lists them alike. */
export const newestFirst = (a: WorkflowSummary, b: WorkflowSummary): number =>
  createdOf(b).localeCompare(createdOf(a)) || a.name.localeCompare(b.name) || a.namespace.localeCompare(b.namespace);

function time(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new ClientError('InvalidArgument', `${option}: not a time: "${value}"`);
  return parsed;
}

// Argo's CronWorkflow: a workflow spec run on a schedule, and the child Workflow made from it for one
// tick (Argo's ConvertCronWorkflowToWorkflow): named `<cron>-<unix seconds>` by the scheduler or
// `<cron>-<random>` by `submit --from cronwf/…`, labelled with the cron's name and annotated with the
// scheduled time that `{{workflow.scheduledTime}}` reads.
import { argoTime } from './phases-and-times.js';
import type { ObjectMeta, Workflow, WorkflowSpec } from './types.js';

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface CronWorkflowSpec {
  schedules?: string[];
  /** Argo v3's single schedule, removed in v4; read as a one-item `schedules`. */
  schedule?: string;
  timezone?: string;
  suspend?: boolean;
  concurrencyPolicy?: ConcurrencyPolicy;
  startingDeadlineSeconds?: number;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  workflowMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  workflowSpec: WorkflowSpec;
  when?: string;
  stopStrategy?: { expression: string };
}

export interface CronWorkflowStatus {
  active?: { kind: 'Workflow'; apiVersion: string; name: string; namespace: string; uid: string }[];
  lastScheduledTime?: string;
  succeeded?: number;
  failed?: number;
  phase?: 'Active' | 'Stopped';
  conditions?: { type: string; status: 'True' | 'False'; message?: string }[];
}

export interface CronWorkflow {
  apiVersion: string;
  kind: 'CronWorkflow';
  metadata: ObjectMeta;
  spec: CronWorkflowSpec;
  status?: CronWorkflowStatus;
}

export const CRON_WORKFLOW_LABEL = 'workflows.argoproj.io/cron-workflow';
export const SCHEDULED_TIME_ANNOTATION = 'workflows.argoproj.io/scheduled-time';
/** Argo's limit: the child's name adds `-` and ten digits, within Kubernetes' 63. */
export const MAX_CRON_NAME = 52;

/** The schedules of a spec, whichever of `schedules` and v3's `schedule` it uses. */
export function cronSchedules(spec: CronWorkflowSpec): string[] {
  return spec.schedules ?? (spec.schedule === undefined ? [] : [spec.schedule]);
}

/**
 * The Workflow to run for one tick at `scheduledMs`. `name` given: that name (the scheduler's
 * deterministic one); else a `<cron>-` generateName.
 */
export function workflowFromCron(cron: CronWorkflow, scheduledMs: number, name?: string): Workflow {
  const { workflowMetadata } = cron.spec;
  const cronName = cron.metadata.name ?? '';
  const metadata: ObjectMeta = {
    ...(name === undefined ? { generateName: `${cronName}-` } : { name }),
    namespace: cron.metadata.namespace ?? 'default',
    labels: { ...workflowMetadata?.labels, [CRON_WORKFLOW_LABEL]: cronName },
    annotations: { ...workflowMetadata?.annotations, [SCHEDULED_TIME_ANNOTATION]: argoTime(new Date(scheduledMs)) },
  };
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata, spec: structuredClone(cron.spec.workflowSpec) };
}

/** The scheduler's name for the child of the tick at `scheduledMs`. */
export function cronChildName(cronName: string, scheduledMs: number): string {
  return `${cronName}-${Math.floor(scheduledMs / 1000)}`;
}

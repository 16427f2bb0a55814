// Checks a CronWorkflow document as Argo's ValidateCronWorkflow does: every schedule parses in its
// time zone, the options have their types and ranges, and `workflowSpec` passes the checks a
// Workflow's spec passes (issues placed under `spec.workflowSpec`). A spec that names a
// WorkflowTemplate is checked against it when a child is submitted.
import { isTimeZone, parseCronSchedule } from './cron-schedule.js';
import { MAX_CRON_NAME } from './cron-workflow.js';
import type { SpecErrorCode } from './errors.js';
import { isRecord, IssueList } from './issues.js';
import { crossCheck } from './load.js';
import type { FieldPath } from './source-map.js';
import { validateHeader, validateMetadata, validateSchema } from './validate-schema.js';
import type { SpecHolder } from './walk.js';

const POLICIES = ['Allow', 'Forbid', 'Replace'];

/** Issues of the workflow checks, moved from `spec` to `spec.workflowSpec` of the same document. */
class WorkflowSpecIssues extends IssueList {
  constructor(private readonly outer: IssueList) {
    super(outer.source);
  }

  override add(code: SpecErrorCode, path: FieldPath, message: string): void {
    const moved = path[0] === 'spec' ? ['spec', 'workflowSpec', ...path.slice(1)] : path;
    super.add(code, moved, message);
    this.outer.items.push(this.items.at(-1)!);
  }
}

export function validateCronWorkflow(value: unknown, issues: IssueList): void {
  if (!isRecord(value)) {
    issues.add('SCHEMA', [], 'expected a map with apiVersion, kind, metadata and spec');
    return;
  }
  validateHeader(value, 'argoproj.io/v1alpha1', 'CronWorkflow', issues);
  validateMetadata(value.metadata, true, issues);
  const name = isRecord(value.metadata) ? value.metadata.name : undefined;
  if (typeof name === 'string' && name.length > MAX_CRON_NAME) {
    issues.add('SCHEMA', ['metadata', 'name'], `a CronWorkflow's name must be at most ${MAX_CRON_NAME} characters (is ${name.length}): its workflows add "-<unix time>"`);
  }
  const { spec } = value;
  if (!isRecord(spec)) {
    issues.add('SCHEMA', ['spec'], 'spec must be a map with schedules and workflowSpec');
    return;
  }
  validateSchedules(spec, issues);
  if (spec.suspend !== undefined && typeof spec.suspend !== 'boolean') issues.add('SCHEMA', ['spec', 'suspend'], 'must be true or false');
  if (spec.concurrencyPolicy !== undefined && !POLICIES.includes(spec.concurrencyPolicy as string)) {
    issues.add('SCHEMA', ['spec', 'concurrencyPolicy'], `must be one of ${POLICIES.join(', ')}, got ${JSON.stringify(spec.concurrencyPolicy)}`);
  }
  for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) {
    const number = spec[field];
    if (number !== undefined && !(Number.isInteger(number) && (number as number) >= 0)) issues.add('SCHEMA', ['spec', field], 'must be a whole number, 0 or more');
  }
  if (spec.when !== undefined && typeof spec.when !== 'string') issues.add('SCHEMA', ['spec', 'when'], 'must be a string');
  if (spec.stopStrategy !== undefined && !(isRecord(spec.stopStrategy) && typeof spec.stopStrategy.expression === 'string' && spec.stopStrategy.expression !== '')) {
    issues.add('SCHEMA', ['spec', 'stopStrategy'], 'must be a map with an expression');
  }
  validateWorkflowMetadata(spec.workflowMetadata, issues);
  validateWorkflowSpec(spec.workflowSpec, typeof name === 'string' ? name : 'cron', issues);
}

function validateSchedules(spec: Record<string, unknown>, issues: IssueList): void {
  const { schedules, schedule, timezone } = spec;
  let zone: string | undefined;
  if (timezone !== undefined && timezone !== '') {
    if (typeof timezone !== 'string' || !isTimeZone(timezone)) issues.add('SCHEMA', ['spec', 'timezone'], `unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as America/Los_Angeles`);
    else zone = timezone;
  }
  if (schedules !== undefined && schedule !== undefined) issues.add('SCHEMA', ['spec', 'schedule'], 'give schedules or schedule, not both');
  const listed: [unknown, FieldPath][] =
    schedules !== undefined
      ? Array.isArray(schedules)
        ? schedules.map((item, i): [unknown, FieldPath] => [item, ['spec', 'schedules', i]])
        : []
      : schedule !== undefined
        ? [[schedule, ['spec', 'schedule']]]
        : [];
  if (schedules !== undefined && !Array.isArray(schedules)) issues.add('SCHEMA', ['spec', 'schedules'], 'must be a list of cron schedules');
  else if (listed.length === 0) issues.add('SCHEMA', ['spec'], 'a CronWorkflow needs schedules (a list of cron schedules)');
  for (const [item, path] of listed) {
    if (typeof item !== 'string') {
      issues.add('SCHEMA', path, 'must be a cron schedule string such as "*/5 * * * *"');
      continue;
    }
    try {
      parseCronSchedule(item, zone);
    } catch (error) {
      issues.add('SCHEMA', path, `invalid cron schedule "${item}": ${(error as Error).message}`);
    }
  }
}

function validateWorkflowMetadata(metadata: unknown, issues: IssueList): void {
  if (metadata === undefined) return;
  if (!isRecord(metadata)) {
    issues.add('SCHEMA', ['spec', 'workflowMetadata'], 'must be a map with labels or annotations');
    return;
  }
  for (const field of ['labels', 'annotations']) {
    const map = metadata[field];
    if (map === undefined) continue;
    if (!isRecord(map) || Object.values(map).some((v) => typeof v !== 'string')) issues.add('SCHEMA', ['spec', 'workflowMetadata', field], 'must be a map of names to strings');
  }
}

function validateWorkflowSpec(workflowSpec: unknown, name: string, issues: IssueList): void {
  if (workflowSpec === undefined) {
    issues.add('SCHEMA', ['spec', 'workflowSpec'], 'a CronWorkflow needs a workflowSpec');
    return;
  }
  const nested = new WorkflowSpecIssues(issues);
  const workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name }, spec: workflowSpec };
  // The cross-reference checks read the spec through its types, which only a spec of the right shape deserves;
  // one that names a WorkflowTemplate is checked when that is resolved, at submission.
  if (validateSchema(workflow, nested) && !(isRecord(workflowSpec) && workflowSpec.workflowTemplateRef !== undefined)) {
    crossCheck(workflow as unknown as SpecHolder, nested, true);
  }
}

// Argo's custom metrics (`metrics.prometheus` of the workflow or a template), checked at submission as
// Argo's validator does: a metric that cannot be emitted is refused here, with its field path, rather
// than found out when a node ends. Values that are expressions can only be checked when they are emitted.
import { labelKeyProblem, metricNameProblem, type CustomMetric } from './custom-metric.js';
import { isRecord, type IssueList } from './issues.js';
import { scalarText } from './scalar-text.js';
import type { FieldPath } from './source-map.js';

const KINDS = ['gauge', 'counter', 'histogram'] as const;
const OPERATIONS = ['Set', 'Add', 'Sub'];

export function validateMetrics(metrics: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(metrics) || (metrics.prometheus !== undefined && !Array.isArray(metrics.prometheus))) {
    issues.add('SCHEMA', isRecord(metrics) ? [...path, 'prometheus'] : path, 'must be a map with a list of prometheus metrics');
    return;
  }
  (metrics.prometheus as unknown[] | undefined)?.forEach((metric, i) => validateMetric(metric, [...path, 'prometheus', i], issues));
}

function validateMetric(metric: unknown, path: FieldPath, issues: IssueList): void {
  if (!isRecord(metric)) {
    issues.add('SCHEMA', path, 'a metric must be a map with name, help and one of gauge, counter or histogram');
    return;
  }
  const problem = typeof metric.name === 'string' ? metricNameProblem(metric.name) : 'a metric needs a name';
  if (problem) issues.add('SCHEMA', [...path, 'name'], problem);
  if (typeof metric.help !== 'string' || metric.help.trim() === '') {
    issues.add('SCHEMA', [...path, 'help'], 'a metric needs a help text: Prometheus requires one');
  }
  if (metric.when !== undefined && typeof metric.when !== 'string') issues.add('SCHEMA', [...path, 'when'], 'must be a string');
  const kinds = KINDS.filter((kind) => metric[kind] !== undefined);
  if (kinds.length !== 1) issues.add('SCHEMA', path, `a metric needs exactly one of gauge, counter or histogram (found ${kinds.join(', ') || 'none'})`);
  const kind = kinds.length === 1 ? kinds[0] : undefined;
  if (metric.labels !== undefined) validateLabels(metric.labels, kind, [...path, 'labels'], issues);
  for (const each of kinds) validateValue(metric[each], each, [...path, each], issues);
}

function validateLabels(labels: unknown, kind: CustomMetric['kind'] | undefined, path: FieldPath, issues: IssueList): void {
  if (!Array.isArray(labels)) {
    issues.add('SCHEMA', path, 'must be a list of {key, value}');
    return;
  }
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    if (!isRecord(label) || typeof label.key !== 'string') {
      issues.add('SCHEMA', [...path, i], 'a label needs a key and a value');
      return;
    }
    const problem = labelKeyProblem(label.key, kind) ?? (seen.has(label.key) ? `metric label "${label.key}" is given twice` : undefined);
    if (problem) issues.add('SCHEMA', [...path, i, 'key'], problem);
    seen.add(label.key);
    const value = label.value === undefined ? undefined : scalarText(label.value);
    if (value === undefined || value === '') issues.add('SCHEMA', [...path, i, 'value'], `metric label "${label.key}" needs a value`);
    else label.value = value;
  });
}

/** `gauge`, `counter` or `histogram`: a value (text, often an expression), and what the kind adds. */
function validateValue(spec: unknown, kind: CustomMetric['kind'], path: FieldPath, issues: IssueList): void {
  if (!isRecord(spec)) {
    issues.add('SCHEMA', path, 'must be a map with a value');
    return;
  }
  const value = spec.value === undefined ? undefined : scalarText(spec.value);
  if (value === undefined || value === '') issues.add('SCHEMA', [...path, 'value'], `a ${kind} needs a value`);
  else {
    spec.value = value;
    // A literal is checked now; an expression's result only when the metric is emitted.
    if (!value.includes('{{')) {
      const number = Number(value);
      if (!Number.isFinite(number)) issues.add('SCHEMA', [...path, 'value'], `must be a number or an expression, not "${value}"`);
      else if (kind === 'counter' && number < 0) issues.add('SCHEMA', [...path, 'value'], 'a counter only goes up: its value may not be negative');
    }
  }
  if (kind === 'gauge') {
    if (spec.realtime !== undefined && typeof spec.realtime !== 'boolean') issues.add('SCHEMA', [...path, 'realtime'], 'must be true or false');
    if (spec.operation !== undefined && !OPERATIONS.includes(spec.operation as string)) {
      issues.add('SCHEMA', [...path, 'operation'], `must be one of ${OPERATIONS.join(', ')}`);
    }
  }
  if (kind === 'histogram' && spec.buckets !== undefined) {
    const buckets = Array.isArray(spec.buckets) ? spec.buckets.map(Number) : [];
    if (buckets.length === 0 || !buckets.every((bucket, i) => Number.isFinite(bucket) && (i === 0 || bucket > buckets[i - 1]!))) {
      issues.add('SCHEMA', [...path, 'buckets'], 'must be a non-empty list of increasing numbers');
    }
  }
}

// Argo's custom metrics: `metrics.prometheus[]` of a template (emitted when its node ends) or of the
// workflow (when it ends), with `{{status}}`, `{{duration}}` and the other variables substituted, `when`
// evaluated, and `realtime` gauges that follow a running node's duration. The engine only says what to
// emit; the scheduler's registry keeps the series.
import type { CustomMetric, NodeStatus, Template } from '@regatta/spec';
import { evaluateWhen, substituteJson, type Lookup } from '@regatta/expr';
import { chainLookups, globalLookup, inputsLookup, parameterValue, workflowOutcome } from '../scope/scope.js';
import type { Transition } from '../core/transition.js';
import { lenient } from '../scope/expression-mode.js';

interface PrometheusSpec {
  name: string;
  help?: string;
  labels?: { key: string; value: string }[];
  when?: string;
  gauge?: { value: string; realtime?: boolean; operation?: 'Set' | 'Add' | 'Sub' };
  counter?: { value: string };
  histogram?: { value: string; buckets?: (number | string)[] };
}


function specsOf(owner: { [field: string]: unknown } | undefined): PrometheusSpec[] {
  return (owner?.["metrics"] as { prometheus?: PrometheusSpec[] } | undefined)?.prometheus ?? [];
}

function seconds(from: string | undefined, to: string): number {
  return from === undefined ? 0 : Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

/** Turns metric specs into emissions under `lookup`; a metric whose value is not a number is left out. */
function emissions(t: Transition, specs: PrometheusSpec[], lookup: Lookup, realtimeSince: string | undefined): CustomMetric[] {
  const out: CustomMetric[] = [];
  for (const raw of specs) {
    const isRealtime = raw.gauge?.realtime === true;
    if ((realtimeSince !== undefined) !== isRealtime) continue;
    const spec = substituteJson(raw, lookup, lenient(t.state));
    if (spec.when !== undefined) {
      try {
        if (!evaluateWhen(spec.when, t.state.expressions)) continue;
      } catch {
        continue;
      }
    }
    const kind = spec.gauge ? 'gauge' : spec.counter ? 'counter' : spec.histogram ? 'histogram' : undefined;
    const value = Number((spec.gauge ?? spec.counter ?? spec.histogram)?.value);
    if (!kind || (!isRealtime && !Number.isFinite(value))) continue;
    out.push({
      name: spec.name,
      help: spec.help ?? spec.name,
      kind,
      labels: Object.fromEntries((spec.labels ?? []).map(({ key, value: label }) => [key, label])),
      value: Number.isFinite(value) ? value : 0,
      ...(spec.gauge?.operation && { operation: spec.gauge.operation }),
      ...(spec.histogram?.buckets && { buckets: spec.histogram.buckets.map(Number) }),
      ...(realtimeSince !== undefined && { realtimeSince }),
    });
  }
  return out;
}

function nodeLookup(t: Transition, node: NodeStatus): Lookup {
  const own: Lookup = (key) => {
    switch (key) {
      case 'status':
        return node.phase;
      case 'duration':
        return String(seconds(node.startedAt, node.finishedAt ?? t.now));
      case 'exitCode':
        return node.outputs?.exitCode;
      case 'outputs.result':
        return node.outputs?.result;
      case 'retries':
        return /\((\d+)\)$/.exec(node.name)?.[1];
    }
    return key.startsWith('outputs.parameters.') ? parameterValue(node.outputs?.parameters, key.slice('outputs.parameters.'.length)) : undefined;
  };
  return chainLookups(own, inputsLookup(node.inputs), globalLookup(t.state));
}

function workflowLookup(t: Transition): Lookup {
  const own: Lookup = (key) => {
    if (key === 'status') return workflowOutcome(t.state) ?? t.state.status.phase;
    if (key === 'duration') return String(seconds(t.state.status.startedAt, t.state.status.finishedAt ?? t.now));
    return undefined;
  };
  return chainLookups(own, globalLookup(t.state));
}

function emit(t: Transition, metrics: CustomMetric[]): void {
  if (metrics.length > 0) t.commands.push({ type: 'emitMetrics', metrics });
}

/** A node started: its template's realtime gauges begin to follow its duration. */
export function startNodeMetrics(t: Transition, node: NodeStatus, template: Template): void {
  emit(t, emissions(t, specsOf(template), nodeLookup(t, node), t.now));
}

/** A node ended: its template's metrics, realtime gauges with their final value. */
export function endNodeMetrics(t: Transition, node: NodeStatus, template: Template | undefined): void {
  emit(t, emissions(t, final(specsOf(template)), nodeLookup(t, node), undefined));
}

export function startWorkflowMetrics(t: Transition): void {
  emit(t, emissions(t, specsOf(t.state.workflow.spec), workflowLookup(t), t.now));
}

export function endWorkflowMetrics(t: Transition): void {
  emit(t, emissions(t, final(specsOf(t.state.workflow.spec)), workflowLookup(t), undefined));
}

/** At the end, realtime gauges are set once more, to their final value, like any other gauge. */
function final(specs: PrometheusSpec[]): PrometheusSpec[] {
  return specs.map((spec) => (spec.gauge?.realtime ? { ...spec, gauge: { ...spec.gauge, realtime: false } } : spec));
}

// Argo's events API: an event (namespace, discriminator, JSON payload, HTTP headers) is offered to
// every WorkflowEventBinding of its namespace; each binding whose selector is true submits a workflow
// from its WorkflowTemplate, with arguments and metadata computed from the event. The expressions are
// the binding author's data: they run only in our expression evaluator, within its step budgets, over
// an environment of plain JSON. A binding that fails (a bad expression, a missing template) is
// reported by name and the others still run, as Argo logs one and goes on.
import { evaluateExpression, evaluateToJson, parseExpression, sharedBudget, type ExpressionScope } from '@regatta/expr';
import type { Workflow, WorkflowEventBinding } from '@regatta/spec';
import type { ResourceStore } from '@regatta/store';
import type { WorkflowClient } from './client.js';

export interface WorkflowEvent {
  namespace: string;
  /** The last segment of the path; '' when none was given. */
  discriminator: string;
  /** The request body, any JSON. */
  payload: unknown;
  /** The request's headers; only `X-` ones reach expressions (Argo keeps `Authorization` and the like out). */
  headers: Record<string, string | string[] | undefined>;
}

/** What one binding did with an event: nothing (its selector was false), a workflow, or an error naming it. */
export type BindingOutcome =
  | { binding: string; matched: false }
  | { binding: string; matched: true; workflow?: Workflow }
  | { binding: string; error: string };

/** Argo's label on a workflow an event submitted, naming the binding. */
const EVENT_BINDING_LABEL = 'workflows.argoproj.io/workflow-event-binding';

/** Steps all expressions of one binding may take for one event, together. */
const BINDING_STEPS = 1_000_000;

export class EventDispatcher {
  constructor(
    private readonly resources: Pick<ResourceStore, 'list'>,
    private readonly client: Pick<WorkflowClient, 'submitFrom'>,
  ) {}

  /** Offers the event to each binding of its namespace in turn; never throws for a binding's fault. */
  async dispatch(event: WorkflowEvent): Promise<BindingOutcome[]> {
    const bindings = await this.resources.list('WorkflowEventBinding', event.namespace);
    const scope = eventScope(event);
    const outcomes: BindingOutcome[] = [];
    for (const binding of bindings) {
      const name = binding.metadata.name ?? '';
      try {
        outcomes.push(await this.offer(binding, scope));
      } catch (error) {
        outcomes.push({ binding: name, error: `WorkflowEventBinding "${name}" in namespace "${event.namespace}": ${(error as Error).message}` });
      }
    }
    return outcomes;
  }

  private async offer(binding: WorkflowEventBinding, scope: ExpressionScope): Promise<BindingOutcome> {
    const name = binding.metadata.name ?? '';
    const budget = sharedBudget(BINDING_STEPS, `expressions of WorkflowEventBinding "${name}"`);
    const matched = evaluateExpression(binding.spec.event.selector, scope, { budget });
    if (typeof matched !== 'boolean') throw new Error(`selector did not evaluate to a boolean (got ${describe(matched)})`);
    const { submit } = binding.spec;
    if (!matched || !submit) return { binding: name, matched };
    const text = (source: string, what: string): string => {
      const value = evaluateExpression(source, scope, { budget });
      if (typeof value !== 'string') throw new Error(`${what} expression must evaluate to a string, not ${describe(value)}`);
      return value;
    };
    const meta = submit.metadata ?? {};
    const parameters: Record<string, string> = {};
    for (const { name: parameter, valueFrom } of submit.arguments?.parameters ?? []) {
      parameters[parameter] = parameterValue(evaluateToJson(valueFrom.event, scope, { budget }));
    }
    const ref = submit.workflowTemplateRef;
    const workflow = await this.client.submitFrom(ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate', ref.name, {
      namespace: binding.metadata.namespace,
      parameters,
      ...(meta.name !== undefined && { name: text(meta.name, 'name') }),
      ...(meta.generateName !== undefined && { generateName: text(meta.generateName, 'generateName') }),
      labels: { ...evaluateMap(meta.labels, 'label', text), [EVENT_BINDING_LABEL]: name },
      ...(meta.annotations && { annotations: evaluateMap(meta.annotations, 'annotation', text) }),
      source: `WorkflowEventBinding/${name}`,
    });
    return { binding: name, matched, workflow };
  }
}

/**
 * The syntax of every expression of a binding, before it is stored; each issue names its field.
 * What an expression computes is known only when an event comes.
 */
export function bindingExpressionIssues(binding: WorkflowEventBinding): { path: string; message: string }[] {
  const { event, submit } = binding.spec;
  const expressions: [string, string][] = [['spec.event.selector', event.selector]];
  const meta = submit?.metadata ?? {};
  if (meta.name !== undefined) expressions.push(['spec.submit.metadata.name', meta.name]);
  if (meta.generateName !== undefined) expressions.push(['spec.submit.metadata.generateName', meta.generateName]);
  for (const field of ['labels', 'annotations'] as const) {
    for (const [key, source] of Object.entries(meta[field] ?? {})) expressions.push([`spec.submit.metadata.${field}.${key}`, source]);
  }
  (submit?.arguments?.parameters ?? []).forEach(({ valueFrom }, i) => expressions.push([`spec.submit.arguments.parameters[${i}].valueFrom.event`, valueFrom.event]));
  return expressions.flatMap(([path, source]) => {
    try {
      parseExpression(source);
      return [];
    } catch (error) {
      return [{ path, message: (error as Error).message }];
    }
  });
}

/** Argo's environment: the payload and headers as JSON would carry them, header names in lower case, values as lists. */
function eventScope(event: WorkflowEvent): ExpressionScope {
  const metadata: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [key, value] of Object.entries(event.headers)) {
    const name = key.toLowerCase();
    if (!name.startsWith('x-') || value === undefined) continue;
    metadata[name] = [...(metadata[name] ?? []), ...(Array.isArray(value) ? value : [value])];
  }
  const environment = new Map<string, unknown>([
    ['payload', event.payload === undefined ? null : event.payload],
    ['metadata', metadata],
    ['discriminator', event.discriminator],
    ['namespace', event.namespace],
  ]);
  return (path) => environment.get(path);
}

/** Argo stores the result's JSON as the value, with a string's quotes taken off. */
function parameterValue(json: string): string {
  return json.startsWith('"') ? (JSON.parse(json) as string) : json;
}

function evaluateMap(map: Record<string, string> | undefined, what: string, text: (source: string, what: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).map(([key, source]) => [key, text(source, `${what} "${key}"`)]));
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${JSON.stringify(value)}`;
}

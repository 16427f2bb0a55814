// Runs a template as a node: binds its inputs, substitutes them into the template, and starts it as a
// pod, a steps body or a DAG. Callers (the workflow root, steps, DAG tasks) link the node they get.
import type { Arguments, Inputs, NodePhase, NodeStatus, NodeType, Parameter, Template } from '@regatta/spec';
import { ExpressionError, substituteJson, substituteString, type Lookup } from '@regatta/expr';
import { podName } from '@regatta/spec';
import { lenient, strict } from '../scope/expression-mode.js';
import { chainLookups, globalLookup, inputsLookup } from '../scope/scope.js';
import type { TemplateCall, Transition } from './transition.js';
import { startSteps } from '../templates/steps.js';
import { startDag } from '../templates/dag.js';
import { startAttempt } from '../features/retry.js';
import { dispatchPod } from '../templates/pods.js';
import { admissionQueue, admit } from './admission.js';
import { nodeTemplate } from '../templates/call-spec.js';
import { bodyScopeOf } from '../scope/body-scope.js';
import { isFulfilled } from './node-phase.js';
import { locksOf, requestLocks } from '../features/synchronization.js';
import { lookUpMemo } from '../features/memoize.js';
import { startNodeMetrics } from '../features/custom-metrics.js';
import { startSuspend } from '../templates/suspend.js';
import { DEADLINE_MESSAGE, isPastDeadline } from './deadline.js';
import { bindInputArtifacts } from '../features/artifacts.js';
import { archiveLocationOf } from '../features/artifact-locations.js';
import { readConfigMapInputs, readsConfigMap } from '../features/configmap-inputs.js';

export function executeTemplate(t: Transition, call: TemplateCall): NodeStatus {
  const existing = t.state.nodeByName(call.nodeName);
  if (existing) {
    // Only a retried or memoized-resubmitted workflow meets its nodes again: one that ended before is
    // reported as ended now, so the group or DAG that runs it again counts it, whichever event that is in.
    if (isFulfilled(existing.phase)) t.queueEnded(existing);
    return existing;
  }
  const kind = nodeTypeOf(call.template);
  const stopped = stopReason(t, call);
  if (stopped !== undefined) return refuse(t, call, createCallNode(t, call, kind ?? 'Pod', 'Failed'), stopped);
  // Its arguments may hold tags left unevaluated when the event's expression budget ran out.
  const spent = t.state.expressions.exceeded;
  if (spent !== undefined) return refuse(t, call, createCallNode(t, call, kind ?? 'Pod', 'Error'), spent);
  const inputs = bindInputs(t, call.template, call.arguments, call.boundaryID);
  if (typeof inputs === 'string') return refuse(t, call, createCallNode(t, call, kind ?? 'Pod', 'Error'), inputs);
  if (!kind) {
    const node = createCallNode(t, call, 'Pod', 'Error');
    return refuse(t, call, node, `template "${call.template.name}" is of a kind Regatta cannot run yet`);
  }
  const retried = call.template.retryStrategy !== undefined && call.attempt === undefined;
  const node = createCallNode(t, call, retried ? 'Retry' : kind, 'Pending');
  mark(call, node);
  if (inputs.parameters || inputs.artifacts) node.inputs = inputs;
  const queue = admissionQueue(t.state, node, t.state.admission);
  if (queue === undefined) startNode(t, node, call.template, call.attempt);
  else t.state.admission.hold(queue, node.id);
  return node;
}

function createCallNode(t: Transition, call: TemplateCall, type: NodeType, phase: NodePhase): NodeStatus {
  const templateName = call.templateRef ? undefined : call.template.name;
  return t.state.createNode(call.nodeName, type, { displayName: call.displayName, boundaryID: call.boundaryID, templateName, phase, now: t.now });
}

/** Starts a created node: a Retry's first attempt, a body, a suspend or a pod; first its ConfigMap inputs, its memo and its locks. */
function startNode(t: Transition, node: NodeStatus, template: Template, attempt: number | undefined): void {
  if (readConfigMapInputs(t, node, template)) return;
  if (template.memoize !== undefined && node.type !== 'Retry' && lookUpMemo(t, node, substituteJson(template, inputsLookup(node.inputs), lenient(t.state)))) return;
  // A retried template's locks are taken by each attempt, not by the Retry node around them.
  if (node.type !== 'Retry' && template.synchronization !== undefined && node.synchronizationStatus?.holding === undefined) {
    const locks = locksOf(template.synchronization, t.state.namespace);
    if (typeof locks === 'string') return t.settle(node, 'Error', locks);
    if (locks.length > 0) return requestLocks(t, node, locks);
  }
  admit(t.state, node, t.state.admission);
  if (template.metrics !== undefined) startNodeMetrics(t, node, template);
  if (node.type === 'Retry') {
    node.phase = 'Running';
    startAttempt(t, node, template, 0);
    return;
  }
  let substituted: Template;
  try {
    substituted = substituteNodeTemplate(t, node, template, attempt);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return t.settle(node, 'Error', error.message);
  }
  if (node.type === 'Pod' || node.type === 'HTTP') return dispatchPod(t, node, substituted);
  node.phase = 'Running';
  if (node.type === 'Steps') startSteps(t, node, substituted);
  else if (node.type === 'DAG') startDag(t, node, substituted);
  else startSuspend(t, node, substituted);
}

/** Starts a node that waited for its turn (parallelism), the workflow's resume, or an answer (ConfigMaps, memo, locks). */
export function startHeldNode(t: Transition, node: NodeStatus): void {
  const template = nodeTemplate(t.state, node);
  if (!template) {
    t.settle(node, 'Error', 'template of a held node not found');
    return;
  }
  t.state.touch(node.id);
  const attempt = node.nodeFlag?.retried ? Number(/\((\d+)\)$/.exec(node.name)?.[1]) : undefined;
  startNode(t, node, template, attempt);
}

/** A template with its node's inputs and own names substituted, as the node runs it. */
export function substituteNodeTemplate(t: Transition, node: NodeStatus, template: Template, attempt: number | undefined): Template {
  // A template without tags is what every node of it runs: not written out and read back per node.
  if (t.state.templates.isTagless(template)) return template;
  const lookup = chainLookups(inputsLookup(node.inputs), nodeLookup(t, node, template, attempt), globalLookup(t.state));
  // A pod runs what it is given: an expression that cannot be evaluated now never will be.
  return substituteJson(template, lookup, node.type === 'Pod' || node.type === 'HTTP' ? strict(t.state) : lenient(t.state));
}

/** Why no new node may start: the workflow was stopped or passed its deadline (exit handlers excepted). */
function stopReason(t: Transition, call: TemplateCall): string | undefined {
  const { state } = t;
  const shutdown = state.workflow.spec.shutdown;
  if (shutdown === 'Terminate' || (shutdown === 'Stop' && !runsForExit(t, call))) return `Stopped with strategy '${shutdown}'`;
  return isPastDeadline(state) && !runsForExit(t, call) ? DEADLINE_MESSAGE : undefined;
}

/** Part of an exit handler: the handler's own node or any node inside it. */
function runsForExit(t: Transition, call: TemplateCall): boolean {
  if (call.hooked) return true;
  for (let id = call.boundaryID; id !== undefined; ) {
    const node = t.state.node(id);
    if (!node) return false;
    if (node.nodeFlag?.hooked) return true;
    id = node.boundaryID;
  }
  return false;
}

function refuse(t: Transition, call: TemplateCall, node: NodeStatus, message: string): NodeStatus {
  mark(call, node);
  node.message = message;
  t.queueEnded(node);
  return node;
}

function mark(call: TemplateCall, node: NodeStatus): void {
  if (call.templateRef) node.templateRef = call.templateRef;
  if (call.hooked) node.nodeFlag = { hooked: true };
}

/** Names a template sees of its own node: `node.name`, `pod.name`, the paths of its output parameters and of its artifacts. */
function nodeLookup(t: Transition, node: NodeStatus, template: Template, attempt: number | undefined): Lookup {
  return (key) => {
    if (key === 'node.name') return node.name;
    if (key === 'retries') return attempt === undefined ? undefined : String(attempt);
    if (key === 'pod.name') return podName(t.state.name, node.name, template.name);
    const match = /^(inputs|outputs)\.(parameters|artifacts)\.(.+)\.path$/.exec(key);
    if (!match) return undefined;
    const [, side, kind, name] = match;
    if (kind === 'parameters') return side === 'outputs' ? template.outputs?.parameters?.find((p) => p.name === name)?.valueFrom?.path : undefined;
    return template[side as 'inputs' | 'outputs']?.artifacts?.find((a) => a.name === name)?.path;
  };
}

function nodeTypeOf(template: Template): NodeType | undefined {
  if (template.container || template.script || template.containerSet || template.data || template.resource) return 'Pod';
  if (template.suspend) return 'Suspend';
  if (template.http) return 'HTTP';
  if (template.steps) return 'Steps';
  if (template.dag) return 'DAG';
  return undefined;
}

/** A template's inputs bound to a call's arguments, each kind only where some are bound; a string is the error. */
function bindInputs(t: Transition, template: Template, args: Arguments | undefined, boundaryID: string | undefined): Inputs | string {
  const parameters = bindInputParameters(t, template, args);
  if (typeof parameters === 'string') return parameters;
  // An argument's `fromExpression` sees the names of the body the call is in, as its `from` did.
  const boundary = boundaryID === undefined ? undefined : t.state.node(boundaryID);
  const scope = () => ({ lookup: boundary ? bodyScopeOf(t.state, boundary) : globalLookup(t.state), mode: lenient(t.state) });
  // A key-only location takes the rest from the archive location; its key format is not used, so left as written.
  const archive = archiveLocationOf(template, t.state.status.artifactRepositoryRef?.artifactRepository);
  const artifacts = bindInputArtifacts(withOwnLocations(t, template, parameters), args, t.state.namespace, scope, archive);
  if (typeof artifacts === 'string') return artifacts;
  return { ...(parameters.length > 0 && { parameters }), ...(artifacts.length > 0 && { artifacts }) };
}

/**
 * The template with its input artifacts' own locations substituted, as Argo substitutes the template
 * before it loads them: a key such as `{{workflow.name}}/results` or one over the node's input parameters.
 */
function withOwnLocations(t: Transition, template: Template, parameters: Parameter[]): Template {
  const own = template.inputs?.artifacts;
  if (!own?.length || !JSON.stringify(own).includes('{{')) return template;
  const lookup = chainLookups(inputsLookup({ parameters }), globalLookup(t.state));
  return { ...template, inputs: { ...template.inputs, artifacts: substituteJson(own, lookup, lenient(t.state)) as NonNullable<Inputs['artifacts']> } };
}

/**
 * Argo's input binding: an argument wins, then the input's ConfigMap (read when the node starts, so left
 * unbound here), then its own value, then its default. A value the template gives itself may hold tags
 * over the workflow's names (e.g. a `{{=…}}` expression).
 */
function bindInputParameters(t: Transition, template: Template, args: Arguments | undefined): Parameter[] | string {
  const bound: Parameter[] = [];
  for (const input of template.inputs?.parameters ?? []) {
    const argument = args?.parameters?.find((p) => p.name === input.name)?.value;
    if (argument === undefined && readsConfigMap(input)) continue;
    const own = input.value ?? input.default;
    const value = argument ?? (own === undefined ? undefined : substituteString(own, globalLookup(t.state), lenient(t.state)));
    if (value === undefined) return `inputs.parameters.${input.name} was not supplied`;
    if (input.enum && !input.enum.includes(value)) {
      return `inputs.parameters.${input.name} value "${value}" is not one of ${JSON.stringify(input.enum)}`;
    }
    bound.push({ name: input.name, value });
  }
  return bound;
}


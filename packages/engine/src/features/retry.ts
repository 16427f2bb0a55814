// Argo's retryStrategy: a Retry node whose children are the attempts `<name>(0)`, `<name>(1)`, …;
// after a failed attempt the policy, the limit and the expression decide whether another runs, and a
// backoff delays it by a timer kept in Redis (the reducer only asks for it), never a sleeping process.
import type { NodeStatus, RetryStrategy, Template } from '@regatta/spec';
import { evaluateExpression, substituteJson, type Lookup } from '@regatta/expr';
import { expressionOptions, lenient } from '../scope/expression-mode.js';
import type { EngineCommand } from '../core/commands.js';
import { chainLookups, globalLookup, inputsLookup } from '../scope/scope.js';
import { nodeTemplate } from '../templates/call-spec.js';
import { humanizeDuration, parseDuration } from '../core/durations.js';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';

/** Starts attempt `index` of a Retry node, with the inputs bound when the Retry node started. */
export function startAttempt(t: Transition, retry: NodeStatus, template: Template, index: number): NodeStatus {
  const attempt = t.execute({
    nodeName: `${retry.name}(${index})`,
    displayName: `${retry.displayName}(${index})`,
    boundaryID: retry.boundaryID,
    template,
    arguments: retry.inputs,
    templateRef: retry.templateRef,
    attempt: index,
  });
  attempt.nodeFlag = { ...attempt.nodeFlag, retried: true };
  t.state.addChild(retry.id, attempt.id);
  return attempt;
}

export function retryNodeOf(t: Transition, attempt: NodeStatus): NodeStatus | undefined {
  return t.state.nodeByName(attempt.name.replace(/\(\d+\)$/, ''));
}

/** An attempt ended: the Retry node succeeds with it, fails with it, or another attempt follows. */
export function onAttemptEnded(t: Transition, retry: NodeStatus, attempt: NodeStatus): void {
  if (isFulfilled(retry.phase)) return;
  if (attempt.phase === 'Succeeded') {
    if (attempt.outputs) retry.outputs = attempt.outputs;
    t.settle(retry, 'Succeeded');
    return;
  }
  const template = nodeTemplate(t.state, retry);
  // `limit` and the backoff may be tags over the node's inputs (`limit: "{{inputs.parameters.n}}"`).
  const scope = chainLookups(inputsLookup(retry.inputs), globalLookup(t.state));
  const strategy = substituteJson(template?.retryStrategy ?? {}, scope, lenient(t.state));
  const attempts = retry.children?.length ?? 0;
  const shutdown = t.state.workflow.spec.shutdown;
  const stop = shutdown ? `Stopped with strategy '${shutdown}'` : (reasonToStop(strategy, attempt, attempts) ?? expressionStops(t, strategy, retry, attempt));
  if (stop !== undefined) {
    t.settle(retry, attempt.phase, stop);
    return;
  }
  const wait = backoff(strategy, retry, attempt, attempts, t);
  if (typeof wait === 'string') {
    t.settle(retry, attempt.phase, wait);
    return;
  }
  if (wait <= 0 || !template) {
    if (template) startAttempt(t, retry, template, attempts);
    return;
  }
  retry.message = `Backoff for ${humanizeDuration(wait)}`;
  t.state.touch(retry.id);
  const command: EngineCommand = {
    type: 'scheduleEvent',
    at: new Date(Date.parse(t.now) + wait).toISOString(),
    event: { type: 'timerFired', nodeId: retry.id },
  };
  t.commands.push(command);
}

/** A backoff's timer fired: start the next attempt, once, if the Retry node still waits for it. */
export function onBackoffEnded(t: Transition, retry: NodeStatus): void {
  if (retry.type !== 'Retry' || isFulfilled(retry.phase)) return;
  const last = t.state.node(retry.children?.at(-1) ?? '');
  const template = nodeTemplate(t.state, retry);
  if (!last || !isFulfilled(last.phase) || last.phase === 'Succeeded' || !template) return;
  delete retry.message;
  startAttempt(t, retry, template, retry.children!.length);
}

/** Argo's retryStrategy.expression over `lastRetry.*` (all strings, as in Argo), AND-ed with the policy. */
function expressionStops(t: Transition, strategy: RetryStrategy, retry: NodeStatus, attempt: NodeStatus): string | undefined {
  if (strategy.expression === undefined) return undefined;
  const lastRetry: Lookup = (key) => {
    switch (key) {
      case 'lastRetry.exitCode':
        return attempt.outputs?.exitCode ?? '-1';
      case 'lastRetry.status':
        return attempt.phase;
      case 'lastRetry.duration':
        return String((Date.parse(attempt.finishedAt ?? t.now) - Date.parse(attempt.startedAt ?? t.now)) / 1000);
      case 'lastRetry.message':
        return attempt.message ?? '';
    }
    return undefined;
  };
  const scope = chainLookups(lastRetry, inputsLookup(retry.inputs), globalLookup(t.state));
  try {
    const result = evaluateExpression(strategy.expression, (path) => scope(path), expressionOptions(t.state));
    if (typeof result !== 'boolean') return `retryStrategy.expression must be true or false, got ${JSON.stringify(result)}`;
    return result ? undefined : 'retryStrategy.expression evaluated to false';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Errors of the kind Argo calls transient (util/errors): the network or the host, not the node's own. */
const TRANSIENT = /connection refused|connection reset|i\/o timeout|TLS handshake timeout|no such host|temporarily unavailable|too many requests|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|worker could not run the node/i;

function isTransient(message: string | undefined): boolean {
  return message !== undefined && TRANSIENT.test(message);
}

/** Argo's retryPolicy and limit; undefined when another attempt may run. */
function reasonToStop(strategy: RetryStrategy, attempt: NodeStatus, attempts: number): string | undefined {
  // Since Argo 3.5 an expression alone retries on any failure; the expression decides.
  const policy = strategy.retryPolicy ?? (strategy.expression !== undefined ? 'Always' : 'OnFailure');
  const retryFailed = policy === 'Always' || policy === 'OnFailure';
  const retryError = policy === 'Always' || policy === 'OnError' || (policy === 'OnTransientError' && isTransient(attempt.message));
  if ((attempt.phase === 'Failed' && !retryFailed) || (attempt.phase === 'Error' && !retryError)) return attempt.message ?? '';
  if (strategy.limit === undefined) return undefined;
  const limit = Number(strategy.limit);
  if (!Number.isInteger(limit)) return `retryStrategy.limit "${strategy.limit}" is not an integer`;
  return attempts > limit ? 'No more retries left' : undefined;
}

/** Milliseconds to wait before the next attempt, or the reason the retries stop (maxDuration). */
function backoff(strategy: RetryStrategy, retry: NodeStatus, attempt: NodeStatus, attempts: number, t: Transition): number | string {
  const spec = strategy.backoff;
  if (!spec) return 0;
  const now = Date.parse(t.now);
  let deadline: number | undefined;
  if (spec.maxDuration !== undefined) {
    const max = parseDuration(spec.maxDuration);
    const first = t.state.node(retry.children?.[0] ?? '');
    if (max === undefined) return `retryStrategy.backoff.maxDuration "${spec.maxDuration}" is not a duration`;
    deadline = Date.parse(first?.startedAt ?? t.now) + max;
    if (now > deadline) return 'Max duration limit exceeded';
  }
  const base = parseDuration(spec.duration);
  if (base === undefined) return `retryStrategy.backoff.duration "${spec.duration ?? ''}" is not a duration`;
  const factor = Number(spec.factor ?? 0);
  let wait = factor > 0 ? base * factor ** (attempts - 1) : base;
  const cap = parseDuration(spec.cap);
  if (cap !== undefined && wait > cap) wait = cap;
  const due = Date.parse(attempt.finishedAt ?? t.now) + wait;
  if (deadline !== undefined && due > deadline) return 'Backoff would exceed max duration limit';
  return due - now;
}

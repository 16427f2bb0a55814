// Argo's lifecycle hooks other than `exit`: `hooks.<name>: {expression, template, arguments}` on the
// workflow or on a step or task. Each runs once, as `<owner>.hooks.<name>`, the first time its
// expression holds when it is looked at: a step's when the step starts and ends, the workflow's after
// every event. The workflow ends only after the hooks it started have ended.
import type { LifecycleHooks, NodeStatus } from '@regatta/spec';
import { evaluateExpression, substituteJson, type Lookup } from '@regatta/expr';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';
import { expressionOptions, lenient } from '../scope/expression-mode.js';

const EXIT = 'exit';

/** Starts each hook whose expression holds now and that has not run; `owner` undefined is the workflow. */
export function runLifecycleHooks(t: Transition, hooks: LifecycleHooks | undefined, owner: NodeStatus | undefined, scope: Lookup): void {
  for (const [name, hook] of Object.entries(hooks ?? {})) {
    if (name === EXIT || hook.expression === undefined) continue;
    const ownerName = owner?.name ?? t.state.name;
    const nodeName = `${ownerName}.hooks.${name}`;
    if (t.state.nodeByName(nodeName)) continue;
    if (!holds(t, hook.expression, scope)) continue;
    const template = t.state.templates.resolve(hook);
    if (!template) continue;
    const node = t.execute({
      nodeName,
      displayName: `${owner?.displayName ?? ownerName}.hooks.${name}`,
      template,
      arguments: hook.arguments && substituteJson(hook.arguments, scope, lenient(t.state)),
      templateRef: hook.templateRef,
      boundaryID: owner?.boundaryID,
      hooked: true,
    });
    if (owner) t.state.addChild(owner.id, node.id);
  }
}

/** A hook's expression; one that cannot be evaluated yet (a name not known) does not hold. */
function holds(t: Transition, expression: string, scope: Lookup): boolean {
  try {
    return evaluateExpression(expression, (path) => scope(path), expressionOptions(t.state)) === true;
  } catch {
    return false;
  }
}

/** Lifecycle hooks' nodes still running: the workflow waits for them before it ends. */
export function runningHooks(t: Transition): boolean {
  return Object.values(t.state.status.nodes).some((node) => node.nodeFlag?.hooked && node.name.includes('.hooks.') && !isFulfilled(node.phase));
}

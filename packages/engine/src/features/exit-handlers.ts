// Exit handlers: a step's or task's `onExit` / `hooks.exit`, and the workflow's `spec.onExit` /
// `spec.hooks.exit`. As in Argo, the handler runs once its owner has ended, as a node named
// `<owner>.onExit`, and the owner's parent moves on only after the handler has ended too.
import type { LifecycleHook, LifecycleHooks, NodeStatus } from '@regatta/spec';
import { substituteJson, type Lookup } from '@regatta/expr';
import { describeTemplate } from '../templates/call.js';
import { exitNodeName } from '../core/state.js';
import { isFulfilled } from '../core/node-phase.js';
import type { Transition } from '../core/transition.js';
import { lenient } from '../scope/expression-mode.js';

export function exitHookOf(owner: { onExit?: string; hooks?: LifecycleHooks } | undefined): LifecycleHook | undefined {
  if (!owner) return undefined;
  return owner.hooks?.exit ?? (owner.onExit === undefined ? undefined : { template: owner.onExit });
}

/**
 * Starts the owner's exit handler unless it ran already; true while the owner must wait for it.
 * `linked`: the handler's node is shown as the owner's child (a step's), or apart (the workflow's).
 */
export function startExitHandler(t: Transition, owner: NodeStatus, hook: LifecycleHook, scope: Lookup, linked: boolean): boolean {
  const existing = t.state.exitNodeOf(owner);
  if (existing) return !isFulfilled(existing.phase);
  const place = { nodeName: exitNodeName(owner.name), displayName: exitNodeName(owner.displayName), boundaryID: owner.boundaryID };
  const template = t.state.templates.resolve(hook);
  let node: NodeStatus;
  if (template) {
    const args = hook.arguments && substituteJson(hook.arguments, scope, lenient(t.state));
    node = t.execute({ ...place, template, arguments: args, templateRef: hook.templateRef, hooked: true });
  } else {
    node = t.state.createNode(place.nodeName, 'Pod', { ...place, phase: 'Error', now: t.now });
    node.nodeFlag = { hooked: true };
    node.message = `${describeTemplate(hook)} not found`;
    t.queueEnded(node);
  }
  if (linked) t.state.addChild(owner.id, node.id);
  return true;
}

/** The owner of an exit handler's node, or undefined for a lifecycle hook's node. */
export function exitHandlerOwner(t: Transition, node: NodeStatus): NodeStatus | undefined {
  const suffix = exitNodeName('');
  return node.name.endsWith(suffix) ? t.state.nodeByName(node.name.slice(0, -suffix.length)) : undefined;
}

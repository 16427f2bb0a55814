// Argo's memoization: a template with `memoize` first looks its key up in the named cache; a hit ends
// the node at once with the cached outputs, a miss runs it and, when it succeeds, stores its outputs.
// The cache lives in Redis; the engine asks for it by command and gets the answer as an event.
import type { NodeOutputs, NodeStatus, Template } from '@regatta/spec';
import { parseDuration } from '../core/durations.js';
import type { Transition } from '../core/transition.js';

interface MemoizeSpec {
  key: string;
  maxAge?: string;
  cache?: { configMap?: { name: string } };
}

/** Asks for the cached outputs of a node whose template is memoized; true when it must wait for them. */
export function lookUpMemo(t: Transition, node: NodeStatus, substituted: Template): boolean {
  const spec = substituted.memoize as MemoizeSpec | undefined;
  if (!spec || node.memoizationStatus) return false;
  const cacheName = spec.cache?.configMap?.name ?? '';
  node.memoizationStatus = { hit: false, key: spec.key, cacheName };
  t.state.touch(node.id);
  const namespace = t.state.namespace;
  const maxAgeMs = parseDuration(spec.maxAge);
  t.commands.push({ type: 'lookupMemo', nodeId: node.id, namespace, cacheName, key: spec.key, ...(maxAgeMs !== undefined && { maxAgeMs }) });
  return true;
}

/** The cache answered: a hit ends the node with its outputs; a miss starts it. */
export function onMemoAnswer(t: Transition, node: NodeStatus, outputs: NodeOutputs | undefined, start: () => void): void {
  const status = node.memoizationStatus;
  if (!status || node.phase !== 'Pending') return;
  if (outputs === undefined) return start();
  node.memoizationStatus = { ...status, hit: true };
  node.outputs = outputs;
  t.settle(node, 'Succeeded');
}

/** A memoized node that ran and succeeded stores its outputs under its key. */
export function saveMemo(t: Transition, node: NodeStatus): void {
  const status = node.memoizationStatus;
  if (!status || status.hit || node.phase !== 'Succeeded') return;
  const namespace = t.state.namespace;
  t.commands.push({ type: 'saveMemo', nodeId: node.id, namespace, cacheName: status.cacheName, key: status.key, outputs: node.outputs ?? {} });
}

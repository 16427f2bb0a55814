// Argo's synchronization: semaphores (limit from a ConfigMap key) and mutexes, for a whole workflow or
// one template's node, in v3's `semaphore`/`mutex` and v4's `semaphores`/`mutexes` forms. The engine
// only asks for locks and gives them back; the store takes them all-or-nothing and answers by event.
import type { NodeStatus } from '@regatta/spec';
import type { LockRequest } from '../core/commands.js';
import type { Transition } from '../core/transition.js';

interface SemaphoreSpec {
  configMapKeyRef?: { name: string; key: string };
  namespace?: string;
  database?: unknown;
}

interface MutexSpec {
  name: string;
  namespace?: string;
  database?: unknown;
}

interface SynchronizationSpec {
  semaphore?: SemaphoreSpec;
  semaphores?: SemaphoreSpec[];
  mutex?: MutexSpec;
  mutexes?: MutexSpec[];
}

/** The locks a synchronization block asks for; a string names what is wrong with it. */
export function locksOf(spec: unknown, namespace: string): LockRequest[] | string {
  if (spec === undefined) return [];
  const sync = spec as SynchronizationSpec;
  const locks: LockRequest[] = [];
  for (const semaphore of [...(sync.semaphore ? [sync.semaphore] : []), ...(sync.semaphores ?? [])]) {
    const ref = semaphore.configMapKeyRef;
    if (!ref) return 'a semaphore needs configMapKeyRef (database semaphores are not supported)';
    const ns = semaphore.namespace ?? namespace;
    locks.push({ name: `${ns}/ConfigMap/${ref.name}/${ref.key}`, configMap: { namespace: ns, name: ref.name, key: ref.key } });
  }
  for (const mutex of [...(sync.mutex ? [sync.mutex] : []), ...(sync.mutexes ?? [])]) {
    locks.push({ name: `${mutex.namespace ?? namespace}/Mutex/${mutex.name}` });
  }
  return locks;
}

/** The workflow's own locks: none where its synchronization block is malformed. */
export function workflowLocks(t: Transition): LockRequest[] {
  const locks = locksOf(t.state.workflow.spec.synchronization, t.state.namespace);
  return typeof locks === 'string' ? [] : locks;
}

/** Argo's waiting order: higher workflow priority first, then older workflows. */
function waitingOrder(t: Transition): { priority: number; createdAt: string } {
  const { metadata, spec } = t.state.workflow;
  return { priority: Number(spec.priority ?? 0) || 0, createdAt: metadata.creationTimestamp ?? t.now };
}

/** Asks for a node's locks (or the workflow's, without a node); it waits Pending until they come. */
export function requestLocks(t: Transition, node: NodeStatus | undefined, locks: LockRequest[]): void {
  const names = locks.map((lock) => lock.name).join(',');
  const message = `Waiting for ${names} lock.`;
  if (node) {
    node.synchronizationStatus = { waiting: names };
    node.message = message;
    t.state.touch(node.id);
  } else {
    t.state.status.message = message;
    t.state.touchStatus();
  }
  t.commands.push({ type: 'acquireLocks', ...(node && { nodeId: node.id }), locks, ...waitingOrder(t) });
}

/** Marks the locks taken; false when the node was no longer waiting for them. */
export function takeLocks(t: Transition, node: NodeStatus): boolean {
  const waiting = node.synchronizationStatus?.waiting;
  if (waiting === undefined || node.phase !== 'Pending') return false;
  node.synchronizationStatus = { holding: waiting };
  delete node.message;
  t.state.touch(node.id);
  return true;
}

/** Gives back a node's (or the workflow's) locks, or its place in their queues. */
export function releaseLocks(t: Transition, nodeId: string | undefined, locks: LockRequest[]): void {
  if (locks.length > 0) t.commands.push({ type: 'releaseLocks', ...(nodeId !== undefined && { nodeId }), locks });
}

// A followed 10,000-node workflow is read whole once, then only the nodes each stored transition
// names; a missed notice or removed nodes bring one whole read back.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { WorkflowStore } from '@regatta/store';
import { WorkflowView } from './workflow-view.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;
let subscriber: Redis;
let store: WorkflowStore;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
  subscriber = new Redis(REDIS_URL);
  store = new WorkflowStore(redis, prefix);
});
afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
  subscriber.disconnect();
});

const node = (id: string, phase: NodeStatus['phase'] = 'Running'): NodeStatus => ({ id, name: id, displayName: id, type: 'Pod', phase });

async function bigWorkflow(nodeCount: number): Promise<{ uid: string; notices: string[] }> {
  const uid = randomUUID();
  const workflow: Workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: `big-${uid.slice(0, 6)}`, namespace: 'default', uid }, spec: { entrypoint: 'main', templates: [] } };
  const nodes = Object.fromEntries(Array.from({ length: nodeCount }, (_, i) => [`n${i}`, node(`n${i}`)]));
  await store.create({ ...workflow, status: { phase: 'Running', nodes } }, 0);
  const notices: string[] = [];
  const channel = store.keys.workflow(uid).updates;
  subscriber.on('message', (from: string, message: string) => from === channel && notices.push(message));
  await subscriber.subscribe(channel);
  return { uid, notices };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('a followed workflow', () => {
  it('reads the whole node hash once, then only the nodes each transition wrote', async () => {
    const { uid, notices } = await bigWorkflow(10_000);
    const view = new WorkflowView(store, uid);
    const load = vi.spyOn(store, 'load');
    const first = await view.refresh();
    expect(first?.changedNodes).toBeUndefined();
    expect(Object.keys(first!.stored.workflow.status.nodes)).toHaveLength(10_000);

    for (let version = 0; version < 3; version++) {
      await store.apply({ uid, epoch: 1, version, status: { phase: 'Running' }, nodes: [node(`n${version}`, 'Succeeded'), node(`extra${version}`)], commands: [] });
    }
    await until(() => notices.length === 3);
    for (const notice of notices) view.notice(notice);
    const update = await view.refresh();
    expect(update?.changedNodes?.sort()).toEqual(['extra0', 'extra1', 'extra2', 'n0', 'n1', 'n2']);
    expect(Object.keys(update!.stored.workflow.status.nodes)).toHaveLength(10_003);
    expect(update!.stored.workflow.status.nodes.n1?.phase).toBe('Succeeded');
    expect(update!.stored.version).toBe(3);
    expect(view.pending).toBe(false);
    expect(load).toHaveBeenCalledTimes(1);
    load.mockRestore();
  });

  it('reads it whole again after a missed notice or when nodes were removed', async () => {
    const { uid, notices } = await bigWorkflow(10);
    const view = new WorkflowView(store, uid);
    await view.refresh();
    await store.apply({ uid, epoch: 1, version: 0, nodes: [node('n1', 'Failed')], commands: [] });
    await store.apply({ uid, epoch: 1, version: 1, nodes: [node('n2', 'Failed')], commands: [] });
    await until(() => notices.length === 2);
    view.notice(notices[1]!);
    expect((await view.refresh())?.changedNodes).toBeUndefined();

    await store.apply({ uid, epoch: 1, version: 2, nodes: [], deletedNodes: ['n1'], commands: [] });
    await until(() => notices.length === 3);
    expect(notices[2]).toBe('3 -n1');
    view.notice(notices[2]!);
    const update = await view.refresh();
    expect(update?.changedNodes).toBeUndefined();
    expect(update?.stored.workflow.status.nodes.n1).toBeUndefined();
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigMap, WorkflowTemplate } from '@regatta/spec';
import { StoreError } from './errors.js';
import { Keys } from './keys.js';
import { ResourceStore } from './resource-store.js';

const prefix = `regatta-test-${randomUUID().slice(0, 8)}`;
let redis: Redis;
let store: ResourceStore;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  store = new ResourceStore(redis, prefix);
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function template(name: string, namespace = 'default'): WorkflowTemplate {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: { name, namespace },
    spec: { templates: [{ name: 'main', container: { image: 'busybox' } }] },
  };
}

const configMap = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('the resource store', () => {
  it('creates WorkflowTemplates with a uid and creation time, and reads them back by namespace', async () => {
    await store.create('WorkflowTemplate', [template('build'), template('build', 'other'), template('alpha')]);
    const stored = await store.get('WorkflowTemplate', 'default', 'build');
    expect(stored?.spec).toEqual(template('build').spec);
    expect(stored?.metadata).toMatchObject({ name: 'build', namespace: 'default', uid: expect.any(String), creationTimestamp: expect.stringMatching(/Z$/) });
    expect((await store.list('WorkflowTemplate', 'default')).map((t) => t.metadata.name)).toEqual(['alpha', 'build']);
    expect((await store.list('WorkflowTemplate', 'other')).map((t) => t.metadata.namespace)).toEqual(['other']);
    expect(await store.get('WorkflowTemplate', 'nowhere', 'build')).toBeUndefined();
  });

  it('refuses to create a WorkflowTemplate that exists, storing none of the batch', async () => {
    await store.create('WorkflowTemplate', [template('taken')]);
    const error = await store.create('WorkflowTemplate', [template('fresh'), template('taken')]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('EXISTS');
    expect((error as StoreError).message).toBe('WorkflowTemplate "taken" in namespace "default" already exists');
    expect(await store.get('WorkflowTemplate', 'default', 'fresh')).toBeUndefined();
  });

  it('replaces an existing resource keeping its uid and creation time, and writes nothing for one that is not there', async () => {
    const [created] = await store.create('WorkflowTemplate', [template('replaced')]);
    const changed = { ...template('replaced'), metadata: { name: 'replaced', namespace: 'default', labels: { v: '2' } } };
    const replaced = await store.replace('WorkflowTemplate', changed);
    expect(replaced?.metadata).toEqual({ ...changed.metadata, uid: created!.metadata.uid, creationTimestamp: created!.metadata.creationTimestamp });
    expect(await store.get('WorkflowTemplate', 'default', 'replaced')).toEqual(replaced);
    expect(await store.replace('WorkflowTemplate', template('never-created'))).toBeUndefined();
    expect(await store.get('WorkflowTemplate', 'default', 'never-created')).toBeUndefined();
  });

  it('replaces over a change made between its read and its write, and never brings back one deleted meanwhile', async () => {
    await store.create('WorkflowTemplate', [template('raced')]);
    const racing = store.replace('WorkflowTemplate', { ...template('raced'), metadata: { name: 'raced', namespace: 'default', labels: { by: 'replace' } } });
    // Sent on the same connection right after the replace's read, before its script: the first compare fails.
    const other = { ...template('raced'), metadata: { name: 'raced', namespace: 'default', uid: 'u', creationTimestamp: 't', labels: { by: 'other' } } };
    void redis.hset(new Keys(prefix).resources.workflowTemplates, 'default/raced', JSON.stringify(other));
    expect((await racing)?.metadata).toMatchObject({ uid: 'u', creationTimestamp: 't', labels: { by: 'replace' } });
    expect((await store.get('WorkflowTemplate', 'default', 'raced'))?.metadata.labels).toEqual({ by: 'replace' });

    const gone = store.replace('WorkflowTemplate', template('raced'));
    await store.delete('WorkflowTemplate', 'default', 'raced');
    expect(await gone).toBeUndefined();
    expect(await store.get('WorkflowTemplate', 'default', 'raced')).toBeUndefined();
  });

  it('keeps ClusterWorkflowTemplates apart from WorkflowTemplates, with no namespace', async () => {
    await store.create('ClusterWorkflowTemplate', [{ ...template('shared'), kind: 'ClusterWorkflowTemplate', metadata: { name: 'shared' } }]);
    expect((await store.get('ClusterWorkflowTemplate', 'any', 'shared'))?.kind).toBe('ClusterWorkflowTemplate');
    expect(await store.get('WorkflowTemplate', 'default', 'shared')).toBeUndefined();
    expect((await store.list('ClusterWorkflowTemplate', 'default')).map((t) => t.metadata.name)).toEqual(['shared']);
  });

  it('applies ConfigMaps as kubectl does: created, then unchanged, then configured, keeping the uid', async () => {
    expect(await store.apply('ConfigMap', [configMap('settings', { mode: 'fast' })])).toEqual(['created']);
    const first = await store.get('ConfigMap', 'default', 'settings');
    expect(await store.apply('ConfigMap', [configMap('settings', { mode: 'fast' })])).toEqual(['unchanged']);
    expect(await store.apply('ConfigMap', [configMap('settings', { mode: 'slow' }), configMap('more', {})])).toEqual(['configured', 'created']);
    const second = await store.get('ConfigMap', 'default', 'settings');
    expect(second?.data).toEqual({ mode: 'slow' });
    expect(second?.metadata.uid).toBe(first?.metadata.uid);
  });

  it('deletes a resource once', async () => {
    await store.apply('ConfigMap', [configMap('gone', {})]);
    expect(await store.delete('ConfigMap', 'default', 'gone')).toBe(true);
    expect(await store.delete('ConfigMap', 'default', 'gone')).toBe(false);
    expect(await store.get('ConfigMap', 'default', 'gone')).toBeUndefined();
  });

  it('keeps every kind under the one hash tag of the prefix', async () => {
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.sort()).toEqual([`${prefix}:{resources}:clusterworkflowtemplates`, `${prefix}:{resources}:configmaps`, `${prefix}:{resources}:workflowtemplates`]);
  });
});

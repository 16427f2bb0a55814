// The protocol's decoders: what crosses processes is checked where it arrives, and data written before
// a field existed still decodes.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { nodeJobDataSchema, nodeRunSchema, shardEventSchema } from './index.js';

describe('shard events', () => {
  it('keeps the fields the engine reads and refuses payloads of the wrong kind, naming the field', () => {
    const finished = { type: 'nodeFinished', nodeId: 'wf-1', attempt: 0, phase: 'Succeeded', outputs: { parameters: [] }, finishedAt: '2026-01-01T00:00:00Z' };
    expect(shardEventSchema.parse(finished)).toEqual(finished);
    const wrong = shardEventSchema.safeParse({ ...finished, outputs: 'none' });
    expect(wrong.error?.issues[0]).toMatchObject({ path: ['outputs'], message: 'expected an object' });
    expect(shardEventSchema.safeParse({ type: 'control', control: { name: 'stop' } }).error?.issues[0]?.path).toEqual(['control']);
  });
});

describe('node job data', () => {
  const job = { workflow: { name: 'wf', namespace: 'default', uid: 'u1' }, nodeId: 'wf-1', nodeName: 'wf', attempt: 0, templateName: 'main', container: { image: 'busybox' } };
  const schema = nodeJobDataSchema(nodeRunSchema);

  it('decodes data enqueued before `kind` existed by its size', () => {
    expect(schema.parse({ shard: 1, nodes: [{ id: 'u1/wf-1/0', job }] }).kind).toBe('node');
    expect(schema.parse({ shard: 1, nodes: [{ id: 'u1/wf-1/0', job }, { id: 'u1/wf-2/0', job }] }).kind).toBe('nodeBatch');
  });

  it('refuses a job without the fields a worker relies on, or of an unknown kind', () => {
    const noUid = schema.safeParse({ kind: 'node', shard: 1, nodes: [{ id: 'x', job: { ...job, workflow: { name: 'wf' } } }] });
    expect(noUid.error?.issues[0]?.path).toEqual(['nodes', 0, 'job']);
    expect(schema.safeParse({ kind: 'pod', shard: 1, nodes: [{ id: 'x', job }] }).error?.issues[0]?.path).toEqual(['kind']);
    expect(nodeJobDataSchema(z.object({ n: z.number() })).safeParse({ kind: 'node', shard: -1, nodes: [{ id: 'x', job: { n: 1 } }] }).success).toBe(false);
  });
});

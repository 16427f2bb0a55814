import { describe, expect, it } from 'vitest';
import { fnv1a32, nodeId, nodePodName, podName } from './naming.js';
import type { NodeStatus } from './types.js';

describe('Argo node ids', () => {
  it('hashes with 32-bit FNV-1a as Go does', () => {
    // Reference values of Go's fnv.New32a.
    expect(fnv1a32('')).toBe(2166136261);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    // Non-ASCII text hashes its UTF-8 bytes: "é" is 0xc3 0xa9.
    let expected = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) expected = Math.imul(expected ^ byte, 0x01000193) >>> 0;
    expect(fnv1a32('é')).toBe(expected);
  });

  it('names the root node after the workflow and hashes the others in decimal', () => {
    expect(nodeId('steps-abc', 'steps-abc')).toBe('steps-abc');
    expect(nodeId('steps-abc', 'steps-abc[0].hello1')).toBe(`steps-abc-${fnv1a32('steps-abc[0].hello1')}`);
    expect(nodeId('steps-abc', 'steps-abc[0].hello1')).toMatch(/^steps-abc-\d+$/);
  });
});

describe('Argo pod names (v2)', () => {
  const node = (name: string, type: NodeStatus['type'], fields: Partial<NodeStatus> = {}): NodeStatus =>
    ({ id: nodeId('wf', name), name, displayName: name.slice(name.lastIndexOf('.') + 1), type, phase: 'Running', ...fields }) as NodeStatus;

  it('names a pod <workflow>-<template>-<fnv1a32(node name)>, the root pod after the workflow', () => {
    expect(podName('wf', 'wf.a', 'echo')).toBe(`wf-echo-${fnv1a32('wf.a')}`);
    expect(podName('wf', 'wf', 'main')).toBe('wf');
    // The template part is left out when the workflow name holds it.
    expect(podName('echo-x', 'echo-x.a', 'echo')).toBe(`echo-x-${fnv1a32('echo-x.a')}`);
  });

  it("gives a container set's containers their pod's name, and nodes without a pod none", () => {
    const pod = node('wf.set', 'Pod', { templateName: 'multi' });
    const container = node('wf.set.sidecar', 'Container');
    const nodes = Object.fromEntries([pod, container].map((n) => [n.id, n]));
    expect(nodePodName('wf', container, nodes)).toBe(`wf-multi-${fnv1a32('wf.set')}`);
    expect(nodePodName('wf', pod, nodes)).toBe(`wf-multi-${fnv1a32('wf.set')}`);
    expect(nodePodName('wf', node('wf', 'DAG'), nodes)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { fnv1a32, nodeId } from './naming.js';

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

import { describe, expect, it } from 'vitest';
import { NodeCancellation } from './node-cancellation.js';

describe('NodeCancellation', () => {
  it('aborts a signal taken before the stop, with the first reason', () => {
    const cancellation = new NodeCancellation();
    const { signal } = cancellation;
    expect(signal.aborted).toBe(false);
    cancellation.abort('past its deadline');
    cancellation.abort('shut down');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('past its deadline');
    expect(cancellation.reason).toBe('past its deadline');
  });

  it('hands out an already aborted signal when asked after the stop', () => {
    const cancellation = new NodeCancellation();
    cancellation.abort('cancelled');
    expect(cancellation.signal.aborted).toBe(true);
    expect(cancellation.signal.reason).toBe('cancelled');
  });

  it('has no reason while the node runs', () => {
    expect(new NodeCancellation().reason).toBeUndefined();
  });
});

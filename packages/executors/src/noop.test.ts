import { describe, expect, it } from 'vitest';
import { NoopExecutor } from './noop.js';

describe('NoopExecutor', () => {
  it('finishes every node at once, Succeeded with empty outputs', async () => {
    const result = await new NoopExecutor().run();
    expect(result).toEqual({ phase: 'Succeeded', outputs: {}, startedAt: result.finishedAt, finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
  });
});

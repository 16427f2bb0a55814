import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeJob } from '@regatta/spec';
import { ArtifactStore } from '@regatta/artifacts';
import { DataExecutor } from './data-executor.js';

const root = mkdtempSync(join(tmpdir(), 'regatta-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function transform(expressions: string[]) {
  const job = {
    workflow: { name: 'wf', namespace: 'default', uid: 'u' },
    nodeId: 'n',
    data: { source: { artifactPaths: { key: 'none' } }, transformation: expressions.map((expression) => ({ expression })) },
  } as unknown as NodeJob;
  return new DataExecutor(new ArtifactStore({ localRoot: root })).run(job);
}

describe('data transformations', () => {
  // 900,000 steps each, under one evaluation's 1,000,000.
  const costly = 'len(filter(1..180000, # > 0))';

  it('share one budget per node: twelve costly steps fail, naming the step and the budget', async () => {
    const result = await transform(Array(12).fill(costly));
    expect(result.phase).toBe('Error');
    expect(result.message).toMatch(/^transformation\[11\]: .*expressions of one node exceeded 10000000 steps/);
  });

  it('run within it', async () => {
    expect(await transform([costly, 'data * 2'])).toMatchObject({ phase: 'Succeeded', outputs: { result: '360000' } });
  });
});

import { describe, expect, it } from 'vitest';
import { parseManifest, updateManifest } from './manifest.js';
import type { FileOutcome } from './outcome.js';

const handWritten = `# header comment
examples:
  b.yaml:
    # why b is expected to print hi
    expect:
      nodes:
        - displayName: b-*
          result: hi
  a.yaml:
    outcome: unsupported
    reason: old reason
  long.yaml:
    skip: runs an hour
  gone.yaml:
    outcome: pass
`;

function outcome(file: string, outcomeClass: FileOutcome['class'], reason?: string): FileOutcome {
  return { file, class: outcomeClass, documents: [], ...(reason !== undefined && { reason }) };
}

describe('parseManifest', () => {
  it('reads outcome classes, skips and expectations by file', () => {
    expect(parseManifest(handWritten, 'm.yaml')).toEqual({
      'b.yaml': { expect: { nodes: [{ displayName: 'b-*', result: 'hi' }] } },
      'a.yaml': { outcome: 'unsupported', reason: 'old reason' },
      'long.yaml': { skip: 'runs an hour' },
      'gone.yaml': { outcome: 'pass' },
    });
  });

  it('takes an empty file as an empty manifest', () => {
    expect(parseManifest('', 'm.yaml')).toEqual({});
  });

  it('names the place of a mistake', () => {
    expect(() => parseManifest('examples:\n  a.yaml:\n    outcome: passed\n', 'm.yaml')).toThrow(
      'm.yaml: examples["a.yaml"].outcome: expected one of pass, fail, unsupported, skipped',
    );
    expect(() => parseManifest('examples:\n  a.yaml:\n    expect:\n      nodes:\n        - displayName: x\n          result: { startsWith: y }\n', 'm.yaml')).toThrow(
      'm.yaml: examples["a.yaml"].expect.nodes[0].result: unknown matcher "startsWith"',
    );
    expect(() => parseManifest('examples:\n  a.yaml:\n    expect:\n      phas: Failed\n', 'm.yaml')).toThrow('examples["a.yaml"].expect.phas: unknown field');
    expect(() => parseManifest('examples:\n  a.yaml:\n    expect:\n      message: { matches: "(" }\n', 'm.yaml')).toThrow('examples["a.yaml"].expect.message.matches');
  });
});

describe('updateManifest', () => {
  const updated = updateManifest(handWritten, [outcome('a.yaml', 'pass'), outcome('b.yaml', 'fail', 'Failed, expected Succeeded'), outcome('c.yaml', 'unsupported', 'CronWorkflow')], [
    'a.yaml',
    'b.yaml',
    'c.yaml',
    'long.yaml',
  ]);

  it('rewrites outcome classes and reasons, adds new files, and keeps skip and expect entries', () => {
    expect(parseManifest(updated, 'm.yaml')).toEqual({
      'a.yaml': { outcome: 'pass' },
      'b.yaml': { expect: { nodes: [{ displayName: 'b-*', result: 'hi' }] }, outcome: 'fail', reason: 'Failed, expected Succeeded' },
      'c.yaml': { outcome: 'unsupported', reason: 'CronWorkflow' },
      'long.yaml': { skip: 'runs an hour' },
    });
  });

  it('keeps comments and sorts entries by file', () => {
    expect(updated).toContain('# header comment');
    expect(updated).toContain('# why b is expected to print hi');
    expect(Object.keys(parseManifest(updated, 'm.yaml'))).toEqual(['a.yaml', 'b.yaml', 'c.yaml', 'long.yaml']);
  });

  it('starts a manifest where there is none', () => {
    expect(parseManifest(updateManifest(undefined, [outcome('a.yaml', 'skipped', 'not a workflow (Service)')], ['a.yaml']), 'm.yaml')).toEqual({
      'a.yaml': { outcome: 'skipped', reason: 'not a workflow (Service)' },
    });
  });
});

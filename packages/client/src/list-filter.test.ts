import { describe, expect, it } from 'vitest';
import type { WorkflowSummary } from '@regatta/store';
import { listFilter } from './list-filter.js';

const summary = (name: string, fields: Partial<WorkflowSummary> = {}): WorkflowSummary => ({ name, namespace: 'default', uid: name, phase: 'Succeeded', ...fields });

describe('listFilter', () => {
  const a = summary('build-a', { labels: { team: 'blue' }, creationTimestamp: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:05:00Z' });
  const b = summary('test-b', { phase: 'Running', creationTimestamp: '2026-01-02T10:00:00Z' });
  const c = summary('build-c', { phase: '', startedAt: '2026-01-03T10:00:00Z' });
  const pick = (options: Parameters<typeof listFilter>[0]) => [a, b, c].filter(listFilter(options)).map((s) => s.name);

  it('keeps every workflow without options, and applies each option given', () => {
    expect(pick({})).toEqual(['build-a', 'test-b', 'build-c']);
    expect(pick({ labelSelector: 'team=blue' })).toEqual(['build-a']);
    // Kubernetes: != matches a workflow without the label.
    expect(pick({ labelSelector: 'team!=blue' })).toEqual(['test-b', 'build-c']);
    expect(pick({ phases: ['Running', 'Pending'] })).toEqual(['test-b', 'build-c']);
    // A workflow stored without a creation time counts from its start.
    expect(pick({ createdAfter: '2026-01-02T00:00:00Z' })).toEqual(['test-b', 'build-c']);
    expect(pick({ finishedBefore: '2026-01-01T11:00:00Z' })).toEqual(['build-a']);
    expect(pick({ prefix: 'build-', phases: ['Succeeded'] })).toEqual(['build-a']);
  });

  it('refuses bad options, naming them', () => {
    expect(() => listFilter({ phases: ['Done' as never] })).toThrow('phases: unknown phase "Done"');
    expect(() => listFilter({ createdAfter: 'yesterday' })).toThrow('createdAfter: not a time');
    expect(() => listFilter({ limit: 0 })).toThrow('limit: must be a positive integer');
    expect(() => listFilter({ labelSelector: 'a in (' })).toThrow('labelSelector');
  });
});

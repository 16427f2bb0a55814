import { describe, expect, it } from 'vitest';
import { checkAgainstManifest } from './check.js';
import { combineOutcomes, type FileOutcome } from './outcome.js';

function outcome(file: string, outcomeClass: FileOutcome['class'], reason?: string): FileOutcome {
  return { file, class: outcomeClass, documents: [], ...(reason !== undefined && { reason }) };
}

describe('checkAgainstManifest', () => {
  const manifest = { 'a.yaml': { outcome: 'pass' as const }, 'b.yaml': { outcome: 'unsupported' as const }, 'c.yaml': { outcome: 'unsupported' as const }, 'old.yaml': { outcome: 'pass' as const } };

  it('counts only an expected pass that does not pass as a regression', () => {
    const result = checkAgainstManifest([outcome('a.yaml', 'fail', 'timed out after 120 s'), outcome('b.yaml', 'pass'), outcome('c.yaml', 'fail', 'x')], manifest, ['a.yaml', 'b.yaml', 'c.yaml']);
    expect(result.regressions).toEqual(['a.yaml: expected to pass, got fail (timed out after 120 s)']);
    expect(result.notices).toEqual(['b.yaml: now passes: update the manifest', 'c.yaml: was unsupported, now fail (x)', '1 manifest entry names a file not in the corpus (old.yaml): --update removes them']);
  });

  it('reports files the manifest does not know yet', () => {
    expect(checkAgainstManifest([outcome('new.yaml', 'skipped', 'not a workflow (Service)')], {}, ['new.yaml']).notices).toEqual([
      'new.yaml: not in the manifest (skipped (not a workflow (Service))): update the manifest',
    ]);
  });
});

describe('combineOutcomes', () => {
  it('gives a file the worst class of its documents, naming each document when their reasons differ', () => {
    const combined = combineOutcomes('mixed.yaml', [
      { document: 'WorkflowTemplate job', class: 'skipped', reason: 'not a workflow (WorkflowTemplate, applied)' },
      { document: 'CronWorkflow daily', class: 'unsupported', reason: 'CronWorkflow' },
      { document: 'Workflow backfill', class: 'unsupported', reason: 'spec.parallelism: parallelism is not supported by Regatta yet' },
      { document: 'Workflow other', class: 'pass' },
    ]);
    expect(combined).toMatchObject({ class: 'unsupported', reason: 'CronWorkflow daily: CronWorkflow; Workflow backfill: spec.parallelism: parallelism is not supported by Regatta yet' });
  });

  it('shows a reason shared by all deciding documents once', () => {
    const templates = ['a', 'b'].map((name) => ({ document: `WorkflowTemplate ${name}`, class: 'skipped' as const, reason: 'not a workflow (WorkflowTemplate, applied)' }));
    expect(combineOutcomes('t.yaml', templates)).toMatchObject({ class: 'skipped', reason: 'not a workflow (WorkflowTemplate, applied)' });
    expect(combineOutcomes('p.yaml', [{ document: 'Workflow w', class: 'pass' }])).toEqual({ file: 'p.yaml', class: 'pass', documents: [{ document: 'Workflow w', class: 'pass' }] });
  });
});

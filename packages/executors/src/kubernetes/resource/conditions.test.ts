// Argo's success/failure conditions: label-selector syntax over an object's fields.
import { describe, expect, it } from 'vitest';
import { fieldAt, matches, parseConditions } from './conditions.js';

const job = { status: { succeeded: 3, failed: 0, phase: 'Running', conditions: [{ type: 'Complete', status: 'True' }] }, metadata: { annotations: { 'a.b/c': 'yes' } } };
const holds = (condition: string, object: unknown = job): boolean => parseConditions(condition).every((r) => matches(object, r));

describe('parseConditions', () => {
  it('reads every operator, comma-separated', () => {
    expect(parseConditions('status.succeeded > 2, status.failed<1, a=b, c==d, e!=f, g in (x, y), h notin (z), i, !j')).toEqual([
      { key: 'status.succeeded', operator: '>', values: ['2'] },
      { key: 'status.failed', operator: '<', values: ['1'] },
      { key: 'a', operator: '=', values: ['b'] },
      { key: 'c', operator: '=', values: ['d'] },
      { key: 'e', operator: '!=', values: ['f'] },
      { key: 'g', operator: 'in', values: ['x', 'y'] },
      { key: 'h', operator: 'notin', values: ['z'] },
      { key: 'i', operator: 'exists', values: [] },
      { key: 'j', operator: '!', values: [] },
    ]);
  });

  it('refuses what is not a condition, saying where', () => {
    expect(() => parseConditions('status.succeeded > two')).toThrow('condition "status.succeeded > two": "status.succeeded > two": the value must be an integer');
    expect(() => parseConditions('a in (x')).toThrow('condition "a in (x": expected "," or ")" in the values of "a"');
    expect(() => parseConditions('a = b c')).toThrow('expected "," after "a=b"');
    expect(() => parseConditions('== b')).toThrow('expected a key, found "=="');
  });
});

describe('matches', () => {
  it('compares integers for > and <, and is false for a missing or non-integer field', () => {
    expect(holds('status.succeeded > 2')).toBe(true);
    expect(holds('status.succeeded > 3')).toBe(false);
    expect(holds('status.failed < 1')).toBe(true);
    expect(holds('status.active > 0')).toBe(false);
    expect(holds('status.phase > 0')).toBe(false);
  });

  it('compares the field as text for =, !=, in and notin; a missing field is != anything', () => {
    expect(holds('status.phase == Running, status.succeeded = 3')).toBe(true);
    expect(holds('status.phase in (Pending, Running)')).toBe(true);
    expect(holds('status.phase notin (Running)')).toBe(false);
    expect(holds('status.missing != x')).toBe(true);
    expect(holds('status.missing = x')).toBe(false);
  });

  it('follows array indexes, # for a length, and escaped dots in keys', () => {
    expect(holds('status.conditions.0.type == Complete, status.conditions.# = 1')).toBe(true);
    expect(holds('metadata.annotations.a\\.b/c = yes')).toBe(true);
    expect(fieldAt(job, 'status.conditions.1.type')).toBeUndefined();
  });

  it('checks presence with a bare key and absence with !', () => {
    expect(holds('status.succeeded, !status.active')).toBe(true);
    expect(holds('!status.failed')).toBe(false);
  });
});

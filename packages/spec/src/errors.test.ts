import { describe, expect, it } from 'vitest';
import { formatIssue, SpecError } from './errors.js';

describe('spec errors', () => {
  it('write each issue as file:line:col: path: message, leaving out what is not known', () => {
    expect(formatIssue({ code: 'SCHEMA', file: 'wf.yaml', line: 3, column: 7, path: 'spec.entrypoint', message: 'm' })).toBe('wf.yaml:3:7: spec.entrypoint: m');
    expect(formatIssue({ code: 'YAML', file: 'wf.yaml', line: 1, column: 1, path: '', message: 'm' })).toBe('wf.yaml:1:1: m');
    expect(formatIssue({ code: 'LIMIT', file: 'wf.yaml', path: '', message: 'm' })).toBe('wf.yaml: m');
  });

  it("carry every issue, one a line, with the first one's code", () => {
    const error = new SpecError([
      { code: 'CYCLE', file: 'a.yaml', line: 2, column: 1, path: 'x', message: 'one' },
      { code: 'REFERENCE', file: 'a.yaml', line: 5, column: 1, path: 'y', message: 'two' },
    ]);
    expect(error.code).toBe('CYCLE');
    expect(error.message).toBe('a.yaml:2:1: x: one\na.yaml:5:1: y: two');
    expect(error.issues).toHaveLength(2);
  });
});

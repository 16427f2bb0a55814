// kubectl's jsonpath templates, as an output parameter's valueFrom.jsonPath reads them.
import { describe, expect, it } from 'vitest';
import { jsonPathText } from './json-path.js';

const job = { metadata: { name: 'pi', labels: { app: 'x' } }, status: { succeeded: 3 }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };

describe('jsonPathText', () => {
  it('prints strings as they are, other values as JSON, several matches space-separated', () => {
    expect(jsonPathText(job, '{.metadata.name}')).toBe('pi');
    expect(jsonPathText(job, '{.status.succeeded}')).toBe('3');
    expect(jsonPathText(job, '{.metadata.labels}')).toBe('{"app":"x"}');
    expect(jsonPathText(job, '{.spec.containers[*].name}')).toBe('a b');
  });

  it('keeps the text around expressions, and reads a bare path as one expression', () => {
    expect(jsonPathText(job, 'job {.metadata.name}: {.status.succeeded}')).toBe('job pi: 3');
    expect(jsonPathText(job, '.metadata.name')).toBe('pi');
  });

  it('prints nothing for a path that finds nothing, as kubectl does', () => {
    expect(jsonPathText(job, 'failed={.status.failed}')).toBe('failed=');
  });

  it('refuses {range}', () => {
    expect(() => jsonPathText(job, '{range .items[*]}{.name}{end}')).toThrow('{range} is not supported');
  });
});

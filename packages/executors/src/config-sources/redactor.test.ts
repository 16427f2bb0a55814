import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';

describe('Redactor', () => {
  it('replaces every value, the longer first, and each line of a multi-line one', () => {
    const redactor = new Redactor();
    redactor.add('hunter2');
    redactor.add('hunter2-admin');
    redactor.add('-----BEGIN KEY-----\n  abcdef123456  \n-----END KEY-----\n');
    expect(redactor.text('user hunter2-admin, then hunter2; key line abcdef123456')).toBe('user <redacted>, then <redacted>; key line <redacted>');
  });

  it('leaves values too short to tell from ordinary words', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    redactor.add('');
    expect(redactor.text('abc')).toBe('abc');
  });

  it("redacts a result's message and its containers', and an error's message", () => {
    const redactor = new Redactor();
    redactor.add('S3cretTok3n');
    expect(redactor.result({ message: 'bad S3cretTok3n', containers: [{ message: 'x S3cretTok3n' }, {}] })).toEqual({ message: 'bad <redacted>', containers: [{ message: 'x <redacted>' }, {}] });
    const error = redactor.error(new TypeError('spawn S3cretTok3n ENOENT')) as Error;
    expect(error.message).toBe('spawn <redacted> ENOENT');
    expect(error.name).toBe('TypeError');
    const untouched = new Error('nothing here');
    expect(redactor.error(untouched)).toBe(untouched);
  });
});

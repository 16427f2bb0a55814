// The kubectl flags a resource template may carry: the ones that pick a target are read, the rest refused by name.
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('reads a target, a selector and a namespace in either spelling', () => {
    expect(parseFlags(['configmap', '--selector', 'cleanup=true'])).toEqual({ type: 'configmap', selector: 'cleanup=true' });
    expect(parseFlags(['pod', 'my-pod', '-n', 'team'])).toEqual({ type: 'pod', name: 'my-pod', namespace: 'team' });
    expect(parseFlags(['jobs.batch/my-job', '--namespace=team', '-l', 'a=b'])).toEqual({ type: 'jobs.batch', name: 'my-job', namespace: 'team', selector: 'a=b' });
  });

  it('takes the flags with nothing to do without kubectl', () => {
    expect(parseFlags(['--validate=false', '--ignore-not-found'])).toEqual({});
  });

  it('refuses other flags, a flag missing its value, and extra words', () => {
    expect(() => parseFlags(['--force'])).toThrow('flags: --force is not supported');
    expect(() => parseFlags(['configmap', '--selector'])).toThrow('flags: --selector needs a value');
    expect(() => parseFlags(['configmap', 'a', 'b'])).toThrow('flags: one resource type and one name at most, found "configmap a b"');
  });
});

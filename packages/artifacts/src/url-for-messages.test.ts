import { describe, expect, it } from 'vitest';
import { urlForMessages } from './url-for-messages.js';

describe('a URL for messages', () => {
  it('keeps the scheme, host, port and path', () => {
    expect(urlForMessages('http://127.0.0.1:8080/a/b.tgz')).toBe('http://127.0.0.1:8080/a/b.tgz');
  });

  it('drops the user and password and hides the query', () => {
    expect(urlForMessages('https://someone:s3cret@example.com/x?X-Amz-Signature=abc')).toBe('https://example.com/x?…');
  });

  it('drops the user of an scp-like git address, which is no URL', () => {
    expect(urlForMessages('git@github.com:argoproj/argo-workflows.git')).toBe('github.com:argoproj/argo-workflows.git');
  });
});

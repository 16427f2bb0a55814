import { describe, expect, it } from 'vitest';
import { mapMinioEndpoint } from './artifact-environment.js';

describe('mapMinioEndpoint', () => {
  it("points an S3 endpoint at Argo's e2e MinIO to the local server, quoted or not", () => {
    const text = 'endpoint: minio:9000\n  endpoint: "minio:9000"\n';
    expect(mapMinioEndpoint(text, '127.0.0.1:4568')).toBe('endpoint: 127.0.0.1:4568\n  endpoint: "127.0.0.1:4568"\n');
  });

  it('leaves every other mention alone: another endpoint, the name in a script or a key', () => {
    const text = 'endpoint: minio:90001\nendpoint: s3.amazonaws.com\nargs: ["curl minio:9000"]\nkey: minio:9000\n';
    expect(mapMinioEndpoint(text, '127.0.0.1:4568')).toBe(text);
  });
});

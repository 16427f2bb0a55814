// Argo's S3 `caSecret`: an endpoint over TLS whose certificate a private CA signed (s3rver serving HTTPS
// with a certificate from a CA made here) is trusted with that CA from a Secret, and refused without it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { makeCertificateAuthority, signCertificate } from '../../../test/support/kube-control-plane.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { startS3Server, type S3Server } from '../../../test/support/s3-server.js';
import { s3Driver } from './s3-driver.js';

const NAMESPACE = 'argo';
let work: string;
let server: S3Server;
let driver: ReturnType<ReturnType<typeof s3Driver>>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regatta-s3-tls-test-'));
  await makeCertificateAuthority(work);
  const serving = await signCertificate(work, 'serving', '/CN=s3rver', { usage: 'serverAuth', altNames: ['IP:127.0.0.1'] });
  server = await startS3Server(['artifacts'], { tls: { keyPath: serving.key, certPath: serving.cert } });
  const secrets = { 's3-creds': { access: server.accessKeyId, secret: server.secretAccessKey }, 's3-ca': { 'ca.crt': await readFile(join(work, 'ca.crt'), 'utf8') } };
  driver = s3Driver({ maxAttempts: 1 })({ namespace: NAMESPACE, secrets: memorySecrets({ [NAMESPACE]: secrets }) });
});

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The artifact as a user writes it, with `caSecret` or without. */
const artifact = (key: string, caSecret: boolean) =>
  inputArtifact(`
    name: data
    path: /data.txt
    s3:
      endpoint: ${server.hostPort}
      insecure: false
      bucket: artifacts
      key: ${key}
      accessKeySecret: { name: s3-creds, key: access }
      secretKeySecret: { name: s3-creds, key: secret }
      ${caSecret ? 'caSecret: { name: s3-ca, key: ca.crt }' : ''}
  `);

describe('S3 caSecret', () => {
  it('trusts the private CA from the Secret: the artifact is saved and loaded over HTTPS', async () => {
    const source = join(work, 'report.txt');
    await writeFile(source, 'over tls\n');
    await driver.save(source, artifact('tls/report.txt', true));
    await driver.load(artifact('tls/report.txt', true), join(work, 'back', 'report.txt'));
    expect(await readFile(join(work, 'back', 'report.txt'), 'utf8')).toBe('over tls\n');
  });

  it('without caSecret, refuses the certificate, naming the endpoint and what to set', async () => {
    await expect(driver.load(artifact('tls/report.txt', false), join(work, 'never'))).rejects.toThrow(
      new RegExp(`^s3 bucket artifacts at https://${server.hostPort.replaceAll('.', '\\.')}, key tls/report\\.txt: the server's TLS certificate is not trusted \\([A-Z_]+\\): set caSecret to the CA that signed it$`),
    );
  });
});

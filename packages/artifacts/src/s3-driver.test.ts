import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Location, SecretKeySelector } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../test/support/s3-server.js';
import { ArtifactStore } from './artifact-store.js';
import { ArtifactNotFoundError, type SecretSource } from './driver.js';
import { encryptionParameters, s3Driver } from './s3-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-s3-test-'));
let server: S3Server;
const PART = 5 * 1024 ** 2;

/** Secrets of namespace `default`, as a Secret `s3-creds` with keys `access` and `secret`. */
function secretsWith(values: Record<string, string>): SecretSource {
  return {
    secretValue: async (namespace, { name, key }: SecretKeySelector) => {
      const value = namespace === 'default' ? values[`${name}/${key}`] : undefined;
      if (value === undefined) throw new Error(`secret ${name} has no key ${key} in namespace ${namespace}`);
      return value;
    },
  };
}

let store: ArtifactStore;
const location = (fields: Partial<S3Location>): S3Location => ({
  endpoint: server.hostPort,
  insecure: true,
  bucket: 'artifacts',
  accessKeySecret: { name: 's3-creds', key: 'access' },
  secretKeySecret: { name: 's3-creds', key: 'secret' },
  ...fields,
});
const artifact = (fields: Partial<S3Location>, archive?: object) => ({ name: 'art', s3: location(fields), ...(archive && { archive }) });

beforeAll(async () => {
  server = await startS3Server();
  store = new ArtifactStore({
    secrets: secretsWith({ 's3-creds/access': server.accessKeyId, 's3-creds/secret': server.secretAccessKey, 'wrong/access': 'NOBODY', 'wrong/secret': 'nothing' }),
    drivers: { s3: s3Driver({ partSizeBytes: PART, maxAttempts: 2 }) },
  });
  await store.save(writeFile('seed', 'seed\n'), artifact({ key: 'seed', createBucketIfNotPresent: {} }, { none: {} }), 'default');
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function tree(name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'sub', 'leaf'), 'leaf\n');
  writeFileSync(join(root, 'top'), 'top\n');
  return root;
}

/** An HTTP proxy to `upstream` that notes each request (`PUT /bucket/key?…`) and answers the first `failing` with 503. */
async function proxyTo(upstream: string, failing = 0) {
  const requests: string[] = [];
  const target = new URL(upstream);
  const proxy = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (requests.length <= failing) {
      request.resume();
      response.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      return;
    }
    const forwarded = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    requests,
    hostPort: `127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (proxy.closeAllConnections(), proxy.close(() => resolve()))),
  };
}

describe('S3 artifacts against s3rver', () => {
  it.each([['tar', undefined], ['zip', { zip: {} }], ['none', { none: {} }]])('%s: a file and a folder are saved and loaded back', async (name, archive) => {
    const file = artifact({ key: `strategies/${name}/file` }, archive);
    await store.save(writeFile(`file-${name}`, `file ${name}\n`), file, 'default');
    await store.load(file, join(dir, `loaded-${name}`, 'file'), 'default');
    expect(readFileSync(join(dir, `loaded-${name}`, 'file'), 'utf8')).toBe(`file ${name}\n`);
    const folder = artifact({ key: `strategies/${name}/folder` }, archive);
    await store.save(tree(`tree-${name}`), folder, 'default');
    await store.load(folder, join(dir, `loaded-${name}`, 'folder'), 'default');
    expect(readdirSync(join(dir, `loaded-${name}`, 'folder')).sort()).toEqual(['sub', 'top']);
    expect(readFileSync(join(dir, `loaded-${name}`, 'folder', 'sub', 'leaf'), 'utf8')).toBe('leaf\n');
  });

  it('a folder with archive none is one object per file under its key, listed, and deleted as a tree', async () => {
    const folder = artifact({ key: 'trees/one' }, { none: {} });
    await store.save(tree('tree-listed'), folder, 'default');
    expect(await store.list(artifact({ key: 'trees/one' }), 'default')).toEqual(['trees/one/sub/leaf', 'trees/one/top']);
    await store.delete(folder, 'default');
    expect(await store.list(artifact({ key: 'trees/' }), 'default')).toEqual([]);
    // Deleting what is gone is not an error (garbage collection repeats).
    await store.delete(folder, 'default');
  });

  it('a large file goes up in parts and comes back whole', async () => {
    const big = Buffer.alloc(2 * PART + 1234);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const path = writeFile('big', big);
    const object = artifact({ key: 'big/object' }, { none: {} });
    // Saved through a proxy that notes each request, to see the parts go.
    const proxy = await proxyTo(server.endpoint);
    try {
      await store.save(path, { ...object, s3: { ...object.s3, endpoint: proxy.hostPort } }, 'default');
    } finally {
      await proxy.close();
    }
    expect(proxy.requests.filter((line) => /^PUT \/artifacts\/big\/object\?.*partNumber=\d/.test(line))).toHaveLength(3);
    await store.load(object, join(dir, 'big-back'), 'default');
    const digest = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(digest(join(dir, 'big-back'))).toBe(digest(path));
    const streamed = createHash('sha256');
    for await (const chunk of await store.openStream(object, 'default')) streamed.update(chunk as Buffer);
    expect(streamed.digest('hex')).toBe(digest(path));
  });

  it('retry a transient error with backoff', async () => {
    const proxy = await proxyTo(server.endpoint, 1);
    try {
      const flaky = artifact({ key: 'retried', endpoint: proxy.hostPort }, { none: {} });
      await store.save(writeFile('retried', 'retried\n'), flaky, 'default');
      await store.load(flaky, join(dir, 'retried-back'), 'default');
    } finally {
      await proxy.close();
    }
    expect(proxy.requests.slice(0, 2)).toEqual(['PUT /artifacts/retried?x-id=PutObject', 'PUT /artifacts/retried?x-id=PutObject']);
    expect(readFileSync(join(dir, 'retried-back'), 'utf8')).toBe('retried\n');
  });

  it('createBucketIfNotPresent makes the bucket', async () => {
    const made = artifact({ bucket: 'made-on-save', key: 'k', createBucketIfNotPresent: {} }, { none: {} });
    await store.save(writeFile('made', 'made\n'), made, 'default');
    expect(await store.list(artifact({ bucket: 'made-on-save', key: '' }), 'default')).toEqual(['k']);
  });

  it('say in one line what is wrong, naming bucket, endpoint and key', async () => {
    const where = (bucket: string, key: string) => `s3 bucket ${bucket} at ${server.endpoint}, key ${key}`;
    const into = join(dir, 'never');
    await expect(store.load(artifact({ key: 'missing' }), into, 'default')).rejects.toThrow(new ArtifactNotFoundError(where('artifacts', 'missing')));
    await expect(store.load(artifact({ bucket: 'no-such-bucket', key: 'k' }), into, 'default')).rejects.toThrow(`${where('no-such-bucket', 'k')}: the bucket does not exist`);
    await expect(store.save(writeFile('x', 'x'), artifact({ bucket: 'no-such-bucket', key: 'k' }, { none: {} }), 'default')).rejects.toThrow(
      `${where('no-such-bucket', 'k')}: the bucket does not exist`,
    );
    const wrong = { accessKeySecret: { name: 'wrong', key: 'access' }, secretKeySecret: { name: 'wrong', key: 'secret' } };
    await expect(store.load(artifact({ key: 'seed', ...wrong }), into, 'default')).rejects.toThrow(`${where('artifacts', 'seed')}: the access key is not known to the store`);
    await expect(store.load(artifact({ key: 'seed', accessKeySecret: undefined }), into, 'default')).rejects.toThrow(
      `${where('artifacts', 'seed')}: no credentials: set accessKeySecret and secretKeySecret, or useSDKCreds: true`,
    );
    await expect(store.load(artifact({ key: 'seed' }), into, 'other-namespace')).rejects.toThrow(`${where('artifacts', 'seed')}: secret s3-creds has no key access in namespace other-namespace`);
    await expect(store.load(artifact({ key: 'seed', endpoint: '127.0.0.1:1' }), into, 'default')).rejects.toThrow(/^s3 bucket artifacts at http:\/\/127\.0\.0\.1:1, key seed: cannot reach the store \(ECONNREFUSED\)$/);
    await expect(store.load(artifact({ key: 'seed', roleARN: 'arn:aws:iam::1:role/r' }), into, 'default')).rejects.toThrow(
      `${where('artifacts', 'seed')}: roleARN is not supported here: give the role to the worker and set useSDKCreds: true`,
    );
  });

  it('an unsafe archive in the bucket is refused, naming the store', async () => {
    // A zip whose entry climbs out: yazl writes `xx/evil`, the name's bytes are swapped afterwards.
    const { ZipFile } = await import('yazl');
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from('evil'), 'xx/evil');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const path = writeFile('evil.zip', Buffer.from(Buffer.concat(chunks).toString('latin1').replaceAll('xx/evil', '../evil'), 'latin1'));
    const evil = artifact({ key: 'evil.zip' }, { none: {} });
    await store.save(path, evil, 'default');
    await expect(store.load({ ...evil, archive: undefined }, join(dir, 'node', 'in'), 'default')).rejects.toThrow(/^s3 bucket artifacts at .*, key evil\.zip: (unsafe archive refused|invalid relative path)/);
    expect(readdirSync(dir)).not.toContain('evil');
  });

  it('stores Regatta cannot run, or has no driver for, are refused naming the field', async () => {
    await expect(store.load({ name: 'h', hdfs: { path: '/x' } }, join(dir, 'h'), 'default')).rejects.toThrow('artifact "h": hdfs artifacts are not supported here (field hdfs); use one of s3');
    await expect(store.save(join(dir, 'seed'), { name: 'o', oss: { bucket: 'b', key: 'k' } }, 'default')).rejects.toThrow('artifact "o": oss artifacts are not supported here (field oss)');
  });
});

describe('S3 encryption options', () => {
  it('ask for SSE-S3, or SSE-KMS with its key and context, as Argo has them', () => {
    expect(encryptionParameters(undefined)).toEqual({});
    expect(encryptionParameters({ enableEncryption: true })).toEqual({ ServerSideEncryption: 'AES256' });
    expect(encryptionParameters({ kmsKeyId: 'key-1', kmsEncryptionContext: '{"a":"b"}' })).toEqual({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'key-1',
      SSEKMSEncryptionContext: Buffer.from('{"a":"b"}').toString('base64'),
    });
  });
});

// Argo's S3 artifacts, for AWS and the S3-compatible stores (MinIO, Ceph, GCS and OSS through their S3
// interoperability): `bucket`, `endpoint` as Argo writes it (`host[:port]`, `insecure: true` for http),
// `region`, credentials from Secrets of the workflow's namespace or the SDK's default chain
// (`useSDKCreds`: IRSA, instance roles), `caSecret` (a private CA trusted besides the system's),
// `createBucketIfNotPresent`, SSE-KMS and SSE-C. A file is one
// object, uploaded in parts when large; a folder (archive none) one object per file under `key/`.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { Agent } from 'node:https';
import { dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Artifact, S3Location } from '@regatta/spec';
import { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory } from './driver.js';
import { resolveBeneath } from './resolve-beneath.js';
import { trustingAlso, untrustedCertificate } from './tls-trust.js';

export interface S3DriverOptions {
  /** Size of one part of a multipart upload (S3's least is 5 MiB); larger where a file needs more than S3's 10,000 parts. */
  partSizeBytes?: number;
  /** Parts uploaded at once; memory held is about partSizeBytes × this. */
  partsInFlight?: number;
  /** Tries of one request on a transient error (throttling, 5xx, a dropped connection), with the SDK's backoff. */
  maxAttempts?: number;
}

const DEFAULTS: Required<S3DriverOptions> = { partSizeBytes: 8 * 1024 ** 2, partsInFlight: 4, maxAttempts: 5 };
/** S3's most parts in one upload. */
const MAX_PARTS = 10_000;
/** Clients kept for reuse (their connections), by endpoint, region, credentials and CA. */
const CLIENTS_KEPT = 32;

/** What a client is made from: the SDK's settings, and the PEM CA bundle of `caSecret`, if any. */
interface ClientSettings {
  config: S3ClientConfig;
  ca?: string;
}

/** The S3 driver's factory; its clients are shared by the drivers it makes. */
export function s3Driver(options: S3DriverOptions = {}): DriverFactory {
  const settings = { ...DEFAULTS, ...options };
  const clients = new Map<string, S3Client>();
  const clientFor = ({ config, ca }: ClientSettings): S3Client => {
    const id = JSON.stringify([config, ca]);
    let client = clients.get(id);
    if (!client) {
      if (clients.size >= CLIENTS_KEPT) {
        const [oldest, evicted] = clients.entries().next().value!;
        clients.delete(oldest);
        evicted.destroy();
      }
      // Regatta supports Node 20: the SDK's notice that its later versions will not would reach every user's terminal.
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      client = new S3Client(ca === undefined ? config : { ...config, requestHandler: { httpsAgent: new Agent({ keepAlive: true, ca: trustingAlso(ca) }) } });
      clients.set(id, client);
    }
    return client;
  };
  return (context) => new S3Driver(context, settings, clientFor);
}

/** An S3 location with what every request needs checked. */
interface Place {
  location: S3Location;
  bucket: string;
  key: string;
}

class S3Driver implements ArtifactDriver {
  private readonly bucketsChecked = new Set<string>();

  constructor(
    private readonly context: DriverContext,
    private readonly settings: Required<S3DriverOptions>,
    private readonly clientFor: (settings: ClientSettings) => S3Client,
  ) {}

  describe(artifact: Artifact): string {
    const location = artifact.s3 ?? {};
    return `s3 bucket ${location.bucket ?? '(none)'} at ${endpointOf(location)}, key ${location.key ?? '(none)'}`;
  }

  async save(source: string, artifact: Artifact): Promise<void> {
    const place = placeOf(artifact);
    await this.attempt(artifact, async (client) => {
      if (place.location.createBucketIfNotPresent) await this.ensureBucket(client, place);
      const sse = await this.encryption(place.location);
      const stats = await lstat(source);
      if (!stats.isDirectory()) return this.upload(client, place, place.key, source, stats.size, sse);
      for (const file of await filesOf(source)) {
        const path = join(source, file);
        await this.upload(client, place, `${place.key.replace(/\/$/, '')}/${file}`, path, (await lstat(path)).size, sse);
      }
    });
  }

  /** A multipart upload is atomic in S3: the object appears whole on CompleteMultipartUpload, so no temporary key is needed. */
  private async upload(client: S3Client, place: Place, key: string, file: string, size: number, sse: Record<string, string>): Promise<void> {
    const upload = new Upload({
      client,
      params: { Bucket: place.bucket, Key: key, Body: createReadStream(file), ...sse },
      partSize: Math.max(this.settings.partSizeBytes, Math.ceil(size / MAX_PARTS)),
      queueSize: this.settings.partsInFlight,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  private async ensureBucket(client: S3Client, place: Place): Promise<void> {
    if (this.bucketsChecked.has(place.bucket)) return;
    const exists = await client.send(new HeadBucketCommand({ Bucket: place.bucket })).then(
      () => true,
      (error: Error) => {
        if (error.name === 'NotFound' || error.name === 'NoSuchBucket') return false;
        throw error;
      },
    );
    if (!exists) {
      const objectLocking = place.location.createBucketIfNotPresent?.objectLocking === true;
      await client.send(new CreateBucketCommand({ Bucket: place.bucket, ...(objectLocking && { ObjectLockEnabledForBucket: true }) })).catch((error: Error) => {
        // Another worker made it first.
        if (error.name !== 'BucketAlreadyOwnedByYou') throw error;
      });
    }
    this.bucketsChecked.add(place.bucket);
  }

  async load(artifact: Artifact, destination: string): Promise<void> {
    const place = placeOf(artifact);
    await this.attempt(artifact, async (client) => {
      const sse = await this.customerKey(place.location);
      const body = await this.getObject(client, place, place.key, sse);
      await mkdir(dirname(destination), { recursive: true });
      if (body) return pipeline(body, createWriteStream(destination));
      // No object at the key: a folder saved with archive none is the objects under `key/`, as Argo's driver has it.
      const prefix = `${place.key.replace(/\/$/, '')}/`;
      const keys = await listKeys(client, place.bucket, prefix);
      if (keys.length === 0) throw new ArtifactNotFoundError(this.describe(artifact));
      await mkdir(destination, { recursive: true });
      for (const key of keys) {
        const relative = key.slice(prefix.length);
        if (relative === '' || relative.endsWith('/')) continue;
        // A key is the store's, not a path: one with `..` would have the worker write outside the destination.
        const folder = await resolveBeneath(destination, posix.dirname(relative), { create: 'all' });
        const object = await this.getObject(client, place, key, sse);
        if (object) await pipeline(object, createWriteStream(join(folder, posix.basename(relative)), { flags: 'wx' }));
      }
    });
  }

  /** The object's body, or undefined where no object has that key. */
  private async getObject(client: S3Client, place: Place, key: string, sse: Record<string, string>): Promise<Readable | undefined> {
    try {
      const { Body } = await client.send(new GetObjectCommand({ Bucket: place.bucket, Key: key, ...sse }));
      return Body as Readable;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async openStream(artifact: Artifact): Promise<Readable> {
    const place = placeOf(artifact);
    return this.attempt(artifact, async (client) => {
      const body = await this.getObject(client, place, place.key, await this.customerKey(place.location));
      if (!body) throw new ArtifactNotFoundError(this.describe(artifact));
      return body;
    });
  }

  async list(artifact: Artifact): Promise<string[]> {
    const place = placeOf(artifact, { keyOptional: true });
    return this.attempt(artifact, (client) => listKeys(client, place.bucket, place.key));
  }

  async delete(artifact: Artifact): Promise<void> {
    const place = placeOf(artifact);
    await this.attempt(artifact, async (client) => {
      await client.send(new DeleteObjectCommand({ Bucket: place.bucket, Key: place.key }));
      const tree = await listKeys(client, place.bucket, `${place.key.replace(/\/$/, '')}/`);
      for (let start = 0; start < tree.length; start += 1000) {
        const batch = tree.slice(start, start + 1000).map((Key) => ({ Key }));
        await client.send(new DeleteObjectsCommand({ Bucket: place.bucket, Delete: { Objects: batch, Quiet: true } }));
      }
    });
  }

  async isDirectory(artifact: Artifact): Promise<boolean> {
    const place = placeOf(artifact);
    return this.attempt(artifact, async (client) => {
      const { KeyCount } = await client.send(new ListObjectsV2Command({ Bucket: place.bucket, Prefix: `${place.key.replace(/\/$/, '')}/`, MaxKeys: 1 }));
      return (KeyCount ?? 0) > 0;
    });
  }

  /** Runs `work` with a client for the artifact's store; a failure becomes one line naming bucket, endpoint and key. */
  private async attempt<T>(artifact: Artifact, work: (client: S3Client) => Promise<T>): Promise<T> {
    try {
      const location = artifact.s3 ?? {};
      return await work(this.clientFor({ config: await this.clientConfig(location), ca: await this.trustedCa(location) }));
    } catch (error) {
      if (error instanceof ArtifactNotFoundError) throw error;
      throw new Error(`${this.describe(artifact)}: ${failureOf(error)}`);
    }
  }

  private async clientConfig(location: S3Location): Promise<S3ClientConfig> {
    // Assuming a role needs AWS STS, which cannot be run here to test against: refused, never ignored.
    if (location.roleARN !== undefined) throw new Error('roleARN is not supported here: give the role to the worker and set useSDKCreds: true');
    const endpoint = endpointUrl(location);
    return {
      region: location.region || 'us-east-1',
      ...(endpoint !== undefined && { endpoint, forcePathStyle: !new URL(endpoint).hostname.endsWith('amazonaws.com') }),
      ...(!location.useSDKCreds && { credentials: await this.credentials(location) }),
      maxAttempts: this.settings.maxAttempts,
      retryMode: 'standard',
      // Checksums only where S3 requires them: S3-compatible stores (s3rver, older MinIO) refuse CRC trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
  }

  /** The PEM CA bundle of `caSecret`, for an endpoint whose certificate a private CA signed. */
  private async trustedCa(location: S3Location): Promise<string | undefined> {
    return location.caSecret && this.context.secrets.secretValue(this.context.namespace, location.caSecret);
  }

  private async credentials(location: S3Location): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }> {
    const { accessKeySecret, secretKeySecret, sessionTokenSecret } = location;
    if (!accessKeySecret || !secretKeySecret) throw new Error('no credentials: set accessKeySecret and secretKeySecret, or useSDKCreds: true');
    const read = (selector: typeof accessKeySecret) => this.context.secrets.secretValue(this.context.namespace, selector);
    return {
      accessKeyId: await read(accessKeySecret),
      secretAccessKey: await read(secretKeySecret),
      ...(sessionTokenSecret && { sessionToken: await read(sessionTokenSecret) }),
    };
  }

  /** Request parameters of Argo's `encryptionOptions` for an upload. */
  private async encryption(location: S3Location): Promise<Record<string, string>> {
    return { ...encryptionParameters(location.encryptionOptions), ...(await this.customerKey(location)) };
  }

  /** SSE-C's parameters, needed on every read as on the write. */
  private async customerKey(location: S3Location): Promise<Record<string, string>> {
    const selector = location.encryptionOptions?.serverSideCustomerKeySecret;
    if (!selector) return {};
    return { SSECustomerAlgorithm: 'AES256', SSECustomerKey: await this.context.secrets.secretValue(this.context.namespace, selector) };
  }
}

/** SSE-S3 or SSE-KMS as Argo's `enableEncryption` and `kmsKeyId` ask (a KMS key alone asks for it too). */
export function encryptionParameters(options: S3Location['encryptionOptions']): Record<string, string> {
  if (!options?.enableEncryption && !options?.kmsKeyId) return {};
  if (!options.kmsKeyId) return options.serverSideCustomerKeySecret ? {} : { ServerSideEncryption: 'AES256' };
  return {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: options.kmsKeyId,
    // Argo takes the context as JSON text; S3 wants it base64-encoded.
    ...(options.kmsEncryptionContext && { SSEKMSEncryptionContext: Buffer.from(options.kmsEncryptionContext).toString('base64') }),
  };
}

function placeOf(artifact: Artifact, { keyOptional = false } = {}): Place {
  const location = artifact.s3;
  if (!location?.bucket) throw new Error(`artifact "${artifact.name}": its s3 location has no bucket`);
  if (!keyOptional && !location.key) throw new Error(`artifact "${artifact.name}": its s3 location in bucket ${location.bucket} has no key`);
  return { location, bucket: location.bucket, key: location.key ?? '' };
}

/** Argo's `endpoint` is `host[:port]`, https unless `insecure`; one written with a scheme is taken as it is. */
function endpointUrl(location: S3Location): string | undefined {
  if (!location.endpoint) return undefined;
  if (/^https?:\/\//.test(location.endpoint)) return location.endpoint;
  return `${location.insecure ? 'http' : 'https'}://${location.endpoint}`;
}

function endpointOf(location: S3Location): string {
  return endpointUrl(location) ?? `AWS S3 (${location.region || 'us-east-1'})`;
}

/** Every key under `prefix`, page by page, sorted. */
async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** The files of a folder, relative to it, with `/`; a link is refused, since an object store cannot hold one. */
async function filesOf(folder: string, under = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(join(folder, under), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await filesOf(folder, relative)));
    else if (entry.isFile()) files.push(relative);
    else throw new Error(`${relative} is a link or special file, which an object store cannot hold (archive it instead)`);
  }
  return files;
}

/** What went wrong, in one line and words a user acts on; never a stack or a credential. */
function failureOf(error: unknown): string {
  const { name, message, code } = error as Error & { code?: string };
  switch (name) {
    case 'NoSuchBucket':
      return 'the bucket does not exist';
    case 'AccessDenied':
    case 'Forbidden':
      return 'access denied';
    case 'InvalidAccessKeyId':
      return 'the access key is not known to the store';
    case 'SignatureDoesNotMatch':
      return 'the secret key does not match the access key';
    case 'ExpiredToken':
      return 'the session token has expired';
  }
  const untrusted = untrustedCertificate(error);
  if (untrusted) return `${untrusted}: set caSecret to the CA that signed it`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return `cannot reach the store (${code})`;
  return (message || name).split('\n')[0]!;
}

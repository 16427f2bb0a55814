// Argo's Azure Blob store: `blob` is the artifact's name within `container` at `endpoint`; a folder is kept
// as one blob per file under `<blob>/`. Files go up as blocks committed at the end (the SDK's uploadFile),
// so a blob appears whole or not at all, and come down as a stream: no artifact is held in memory.
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AnonymousCredential, ContainerClient, RestError, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import type { Artifact, AzureLocation } from '@regatta/spec';
import { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory } from './driver.js';
import { filesUnder, placeBeneath } from './folder-files.js';
import { writeStreamToFile } from './write-stream-to-file.js';

const BLOCK_SIZE = 8 * 1024 * 1024;
/** Blocks of one file in flight at once. */
const UPLOAD_CONCURRENCY = 4;
/** Files of a folder in flight at once: a folder of many small files costs round trips, not bytes. */
const FOLDER_CONCURRENCY = 8;
/** Times a download interrupted midway is resumed from where it stopped (the SDK's retriable stream). */
const DOWNLOAD_RESUMES = 5;

export const azureDriver: DriverFactory = (context) => new AzureDriver(context);

interface AzurePlace {
  endpoint: string;
  container: string;
  blob: string;
}

class AzureDriver implements ArtifactDriver {
  constructor(private readonly context: DriverContext) {}

  describe(artifact: Artifact): string {
    const { endpoint, container, blob } = artifact.azure ?? {};
    return `azure container ${container ?? '(none)'} at ${endpoint ?? '(none)'}, blob ${blob ?? ''}`;
  }

  async load(artifact: Artifact, destination: string): Promise<void> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    // An empty blob names the whole container, a folder.
    const single = blob === '' ? undefined : await this.attempt(artifact, () => this.download(client, blob), true);
    if (single) {
      await this.attempt(artifact, () => writeStreamToFile(single, destination));
      return;
    }
    const names = await this.namesUnder(client, artifact);
    if (names.length === 0) throw new ArtifactNotFoundError(this.describe(artifact));
    await mkdir(destination, { recursive: true });
    const targets = names.map((name) => ({ name, target: placeBeneath(destination, name.slice(folderPrefix(blob).length), this.describe(artifact)) }));
    await inParallel(targets, FOLDER_CONCURRENCY, ({ name, target }) => this.attempt(artifact, async () => writeStreamToFile(await this.download(client, name), target)));
  }

  async save(source: string, artifact: Artifact): Promise<void> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    const upload = (path: string, name: string, concurrency = UPLOAD_CONCURRENCY) =>
      this.attempt(artifact, () => client.getBlockBlobClient(name).uploadFile(path, { blockSize: BLOCK_SIZE, concurrency }));
    if (!(await stat(source)).isDirectory()) {
      if (blob === '') throw new Error(`${this.describe(artifact)}: azure.blob is needed to store a file`);
      await upload(source, blob);
      return;
    }
    const files = await filesUnder(source, this.describe(artifact));
    const names = new Set(files.map((file) => folderPrefix(blob) + file));
    // Files of a folder go several at once, each a block at a time, so no more is in flight than for one file.
    await inParallel(files, FOLDER_CONCURRENCY, (file) => upload(join(source, file), folderPrefix(blob) + file, 1));
    // A save repeated with fewer files (a retried node) must not leave the first one's extra files in the folder.
    const stale = (await this.namesUnder(client, artifact)).filter((name) => !names.has(name));
    await inParallel(stale, FOLDER_CONCURRENCY, (name) => this.attempt(artifact, () => client.getBlobClient(name).deleteIfExists()));
  }

  async openStream(artifact: Artifact): Promise<Readable> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    const single = blob === '' ? undefined : await this.attempt(artifact, () => this.download(client, blob), true);
    if (single) return single;
    const folder = (await this.namesUnder(client, artifact)).length > 0;
    throw folder ? new Error(`${this.describe(artifact)} is a folder of blobs, which cannot be read as one stream`) : new ArtifactNotFoundError(this.describe(artifact));
  }

  /** The blob itself, where it exists, and every blob of the folder under `<blob>/`, sorted. */
  async list(artifact: Artifact): Promise<string[]> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    const names = await this.namesUnder(client, artifact);
    const single = blob !== '' && (await this.attempt(artifact, () => client.getBlobClient(blob).exists()));
    return (single ? [blob, ...names] : names).sort();
  }

  async delete(artifact: Artifact): Promise<void> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    await inParallel(await this.namesUnder(client, artifact), FOLDER_CONCURRENCY, (name) => this.attempt(artifact, () => client.getBlobClient(name).deleteIfExists()));
    if (blob !== '') await this.attempt(artifact, () => client.getBlobClient(blob).deleteIfExists());
  }

  async isDirectory(artifact: Artifact): Promise<boolean> {
    const client = await this.containerClient(artifact);
    const { blob } = placeOf(artifact);
    if (blob === '') return true;
    const first = await this.attempt(artifact, () => client.listBlobsFlat({ prefix: folderPrefix(blob) }).byPage({ maxPageSize: 1 }).next());
    return (first.value?.segment.blobItems.length ?? 0) > 0;
  }

  /** The blob's content as a stream, which the SDK resumes from where it stopped when cut. */
  private async download(client: ContainerClient, name: string): Promise<Readable> {
    const response = await client.getBlobClient(name).download(0, undefined, { maxRetryRequests: DOWNLOAD_RESUMES });
    return (response.readableStreamBody as Readable | undefined) ?? Readable.from([]);
  }

  /** The blobs of the folder under `<blob>/` (the whole container for an empty blob). */
  private async namesUnder(client: ContainerClient, artifact: Artifact): Promise<string[]> {
    const prefix = folderPrefix(placeOf(artifact).blob);
    return this.attempt(artifact, async () => {
      const names: string[] = [];
      for await (const item of client.listBlobsFlat({ prefix })) if (!item.name.endsWith('/')) names.push(item.name);
      return names;
    });
  }

  private async containerClient(artifact: Artifact): Promise<ContainerClient> {
    const location = locationOf(artifact);
    const { endpoint, container } = placeOf(artifact);
    const url = `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(container)}`;
    if (location.useSDKCreds) return new ContainerClient(url, await defaultAzureCredential());
    if (!location.accountKeySecret) throw new Error(`${this.describe(artifact)}: accountKeySecret is needed unless useSDKCreds is true`);
    const key = await this.context.secrets.secretValue(this.context.namespace, location.accountKeySecret);
    // Argo takes a SAS token in place of the account key: it is a query string (`sv=…&sig=…`), not base64.
    if (isSasToken(key)) return new ContainerClient(`${url}?${key.replace(/^\?/, '')}`, new AnonymousCredential());
    return new ContainerClient(url, new StorageSharedKeyCredential(accountName(endpoint, this.describe(artifact)), key));
  }

  /** Runs a call of the SDK, turning its errors into one line naming the place; with `missingAsUndefined`, a missing blob is `undefined`. */
  private attempt<T>(artifact: Artifact, call: () => Promise<T>, missingAsUndefined: true): Promise<T | undefined>;
  private attempt<T>(artifact: Artifact, call: () => Promise<T>): Promise<T>;
  private async attempt<T>(artifact: Artifact, call: () => Promise<T>, missingAsUndefined = false): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RestError && error.code === 'BlobNotFound' && missingAsUndefined) return undefined;
      throw new Error(`${this.describe(artifact)}: ${reason(error, placeOf(artifact).container)}`);
    }
  }
}

function locationOf(artifact: Artifact): AzureLocation {
  if (!artifact.azure) throw new Error(`artifact "${artifact.name}" has no azure location`);
  return artifact.azure;
}

function placeOf(artifact: Artifact): AzurePlace {
  const { endpoint, container, blob } = locationOf(artifact);
  if (!endpoint) throw new Error(`artifact "${artifact.name}": azure.endpoint is missing`);
  if (!container) throw new Error(`artifact "${artifact.name}": azure.container is missing`);
  return { endpoint, container, blob: blob ?? '' };
}

/** Runs `task` for every item, at most `limit` at once; the first failure fails the whole, and no further item is started. */
async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      await task(items[next++]!).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function folderPrefix(blob: string): string {
  return blob === '' || blob.endsWith('/') ? blob : `${blob}/`;
}

/**
 * The storage account: the endpoint's first host label (`https://<account>.blob.core.windows.net`), or for
 * an emulator addressed by IP or localhost (azurite), the first part of the path (`http://127.0.0.1:10000/<account>`).
 */
export function accountName(endpoint: string, where: string): string {
  const url = new URL(endpoint);
  const pathStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[[0-9a-f:]+\])$/i.test(url.hostname);
  const name = pathStyle ? url.pathname.split('/')[1] : url.hostname.split('.')[0];
  if (!name) throw new Error(`${where}: the storage account cannot be told from the endpoint`);
  return name;
}

function isSasToken(key: string): boolean {
  return /(^|[?&])sig=/.test(key);
}

/** The SDK's default chain (environment, workload identity, managed identity, Azure CLI), loaded only when asked for. */
async function defaultAzureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

/** What went wrong in a few words: the store's error code (never its multi-line body), or the network's. */
function reason(error: unknown, container: string): string {
  if (error instanceof RestError) {
    if (error.code === 'ContainerNotFound') return `container ${container} does not exist`;
    if (error.code === 'AuthenticationFailed' || error.statusCode === 403) return `the credentials were refused (${error.code ?? error.statusCode})`;
    return `${error.code ?? 'request failed'}${error.statusCode === undefined ? '' : ` (HTTP ${error.statusCode})`}`;
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

// Argo's HTTP artifact: one object at a URL, fetched with GET and stored with PUT, with headers written
// in the artifact or read from Secrets and basic auth from Secrets. Artifactory is the same store with
// its own credentials and DELETE (`artifactory-driver.ts`), so the transfer lives here once, as
// `HttpObjectDriver` over an `HttpObjectStore`. Bodies stream both ways (Node's fetch); nothing whole in memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Artifact, HttpLocation, SecretKeySelector } from '@regatta/spec';
import { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory } from './driver.js';
import { urlForMessages } from './url-for-messages.js';
import { writeStreamToFile } from './write-stream-to-file.js';

/** Attempts of a request that met a transient failure (the network, 502/503/504), waiting 0.2 s, 0.4 s, … between. */
const ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 200;
/** Redirects followed by a PUT, whose file is read again for each (fetch cannot replay a streamed body). */
const MAX_REDIRECTS = 5;

/** What one request goes to: the URL and the headers (credentials included), resolved from the artifact. */
export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
}

/** A store of single objects at URLs: how to find an artifact's URL and credentials, and whether DELETE removes one. */
export interface HttpObjectStore {
  /** The store's name in messages and the artifact's field (`http`, `artifactory`). */
  readonly name: string;
  /** The artifact's URL as written, if any (credentials it holds are stripped before any message). */
  url(artifact: Artifact): string | undefined;
  /** The URL and headers of a request, Secrets read. */
  target(artifact: Artifact): Promise<HttpTarget>;
  readonly deletes: boolean;
}

export class HttpObjectDriver implements ArtifactDriver {
  constructor(private readonly store: HttpObjectStore) {}

  describe(artifact: Artifact): string {
    const url = this.store.url(artifact);
    return `${this.store.name} ${url ? urlForMessages(url) : '(no url)'}`;
  }

  async load(artifact: Artifact, destination: string): Promise<void> {
    await writeStreamToFile(await this.openStream(artifact), destination);
  }

  async save(source: string, artifact: Artifact): Promise<void> {
    const { size, isFile } = await stat(source).then((stats) => ({ size: stats.size, isFile: stats.isFile() }));
    if (!isFile) throw new Error(`${this.describe(artifact)}: a URL holds one file, not a folder (archive it, or save the folder to another store)`);
    const target = await this.store.target(artifact);
    let url = target.url;
    for (let redirects = 0; ; redirects++) {
      const response = await this.send(artifact, url, 'PUT', target.headers, () => ({
        body: Readable.toWeb(createReadStream(source)) as ReadableStream<Uint8Array>,
        length: size,
      }));
      const location = response.headers.get('location');
      if (redirectStatus(response.status) && location && redirects < MAX_REDIRECTS) {
        await response.body?.cancel();
        url = new URL(location, url).toString();
        continue;
      }
      this.check(artifact, 'PUT', response);
      await response.body?.cancel();
      return;
    }
  }

  async openStream(artifact: Artifact): Promise<Readable> {
    const target = await this.store.target(artifact);
    const response = await this.send(artifact, target.url, 'GET', target.headers);
    this.check(artifact, 'GET', response);
    return response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
  }

  list(artifact: Artifact): Promise<string[]> {
    return Promise.reject(new Error(`${this.describe(artifact)}: a URL names one object, whose store cannot be listed`));
  }

  async delete(artifact: Artifact): Promise<void> {
    if (!this.store.deletes) throw new Error(`${this.describe(artifact)}: ${this.store.name} artifacts cannot be deleted (Argo's ${this.store.name} artifact has no delete)`);
    const target = await this.store.target(artifact);
    const response = await this.send(artifact, target.url, 'DELETE', target.headers);
    await response.body?.cancel();
    if (response.status === 404 || response.status === 410) return;
    this.check(artifact, 'DELETE', response);
  }

  isDirectory(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** A 404 to a GET is the artifact missing; any other answer outside 2xx names the method, the URL and the status. */
  private check(artifact: Artifact, method: string, response: Response): void {
    if (response.ok) return;
    void response.body?.cancel();
    if (response.status === 404 && method === 'GET') throw new ArtifactNotFoundError(this.describe(artifact), `${method} answered 404 Not Found`);
    throw new Error(`${this.describe(artifact)}: ${method} answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }

  private async send(
    artifact: Artifact,
    url: string,
    method: string,
    headers: Record<string, string>,
    body?: () => { body: ReadableStream<Uint8Array>; length: number },
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const upload = body?.();
      try {
        const response = await fetch(url, {
          method,
          headers: upload ? { ...headers, 'content-length': String(upload.length) } : headers,
          redirect: upload ? 'manual' : 'follow',
          ...(upload && { body: upload.body, duplex: 'half' }),
        } as RequestInit);
        if (attempt < ATTEMPTS && [502, 503, 504].includes(response.status)) {
          await response.body?.cancel();
        } else {
          return response;
        }
      } catch (error) {
        await upload?.body.cancel().catch(() => undefined);
        if (attempt >= ATTEMPTS) throw new Error(`${this.describe(artifact)}: ${method} failed: ${networkReason(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}

export const httpDriver: DriverFactory = (context) =>
  new HttpObjectDriver({
    name: 'http',
    url: (artifact) => artifact.http?.url,
    target: (artifact) => httpTarget(context, httpLocation(artifact)),
    deletes: false,
  });

function httpLocation(artifact: Artifact): HttpLocation {
  if (!artifact.http?.url) throw new Error(`artifact "${artifact.name}" has no http.url`);
  return artifact.http;
}

async function httpTarget(context: DriverContext, location: HttpLocation): Promise<HttpTarget> {
  const where = `http ${urlForMessages(location.url)}`;
  // Argo's other ways to authenticate need servers (an OAuth2 token endpoint, TLS client certificates) not tested here: refused, never ignored.
  if (location.auth?.oauth2) throw new Error(`${where}: http.auth.oauth2 is not supported by Regatta yet`);
  if (location.auth?.clientCert) throw new Error(`${where}: http.auth.clientCert is not supported by Regatta yet`);
  const headers: Record<string, string> = {};
  for (const header of location.headers ?? []) {
    const secret = header.valueFrom?.secretKeyRef;
    headers[header.name] = secret ? await context.secrets.secretValue(context.namespace, secret) : (header.value ?? '');
  }
  const { url, userinfo } = withoutUserinfo(location.url);
  const basic = await basicAuthHeaders(context, location.auth?.basicAuth?.usernameSecret, location.auth?.basicAuth?.passwordSecret);
  if (userinfo) headers.authorization = `Basic ${Buffer.from(userinfo).toString('base64')}`;
  return { url, headers: { ...headers, ...basic } };
}

/** An `authorization: Basic …` header from a user name and password read from Secrets (either may be absent: empty); none without both. */
export async function basicAuthHeaders(context: DriverContext, usernameSecret?: SecretKeySelector, passwordSecret?: SecretKeySelector): Promise<Record<string, string>> {
  if (!usernameSecret && !passwordSecret) return {};
  const read = (selector?: SecretKeySelector) => (selector ? context.secrets.secretValue(context.namespace, selector) : Promise.resolve(''));
  return { authorization: `Basic ${Buffer.from(`${await read(usernameSecret)}:${await read(passwordSecret)}`).toString('base64')}` };
}

/** fetch refuses a URL with `user:password@`: they become basic auth instead (decoded, as a browser would). */
function withoutUserinfo(raw: string): { url: string; userinfo?: string } {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url: raw };
  const userinfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), userinfo };
}

/** The redirects that keep the method and body (webHDFS answers a PUT with 307). */
function redirectStatus(status: number): boolean {
  return status === 307 || status === 308;
}

/** fetch's `TypeError: fetch failed` says nothing: the cause's code (ECONNREFUSED, …) does. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

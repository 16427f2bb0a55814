// Argo's HTTP artifact: one object at a URL, fetched with GET and stored with PUT, with headers written
// in the artifact or read from Secrets, and basic auth, an OAuth2 client-credentials token or a TLS
// client certificate from Secrets. Artifactory is the same store with
// its own credentials and DELETE (`artifactory-driver.ts`), so the transfer lives here once, as
// `HttpObjectDriver` over an `HttpObjectStore`. Bodies stream both ways (node:http); nothing whole in memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Artifact, ClientCertAuth, HttpLocation, OAuth2Auth, SecretKeySelector } from '@regatta/spec';
import { ArtifactNotFoundError, type ArtifactDriver, type DriverContext, type DriverFactory } from './driver.js';
import { OAuth2Tokens } from './oauth2-tokens.js';
import { untrustedCertificate } from './tls-trust.js';
import { urlForMessages } from './url-for-messages.js';
import { writeStreamToFile } from './write-stream-to-file.js';

/** Attempts of a request that met a transient failure (the network, 502/503/504), waiting 0.2 s, 0.4 s, … between. */
const ATTEMPTS = 3;
const TRANSIENT_STATUSES = new Set([502, 503, 504]);
const FIRST_BACKOFF_MS = 200;
/** Redirects followed; a PUT sends its file again to each. */
const MAX_REDIRECTS = 5;

/** What a request goes to: the URL and the headers (credentials included), resolved from the artifact. */
export interface HttpTarget {
  url: string;
  headers: Record<string, string>;
  /** The PEM certificate and key presented to a server that asks for a client certificate. */
  clientCert?: { cert: string; key: string };
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
    const stats = await stat(source);
    if (!stats.isFile()) throw new Error(`${this.describe(artifact)}: a URL holds one file, not a folder (archive it, or save the folder to another store)`);
    const response = await this.send(artifact, 'PUT', { path: source, length: stats.size });
    response.resume();
    this.check(artifact, 'PUT', response);
  }

  async openStream(artifact: Artifact): Promise<Readable> {
    const response = await this.send(artifact, 'GET');
    this.check(artifact, 'GET', response);
    return response;
  }

  list(artifact: Artifact): Promise<string[]> {
    return Promise.reject(new Error(`${this.describe(artifact)}: a URL names one object, whose store cannot be listed`));
  }

  async delete(artifact: Artifact): Promise<void> {
    if (!this.store.deletes) throw new Error(`${this.describe(artifact)}: ${this.store.name} artifacts cannot be deleted (Argo's ${this.store.name} artifact has no delete)`);
    const response = await this.send(artifact, 'DELETE');
    response.resume();
    if (response.statusCode === 404 || response.statusCode === 410) return;
    this.check(artifact, 'DELETE', response);
  }

  isDirectory(): Promise<boolean> {
    return Promise.resolve(false);
  }

  /** A 404 to a GET is the artifact missing; any other answer outside 2xx names the method, the URL and the status. */
  private check(artifact: Artifact, method: string, response: IncomingMessage): void {
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return;
    response.resume();
    if (status === 404 && method === 'GET') throw new ArtifactNotFoundError(this.describe(artifact), `${method} answered 404 Not Found`);
    throw new Error(`${this.describe(artifact)}: ${method} answered ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`);
  }

  /** The final answer to a request: redirects followed, transient failures (the network, 502/503/504) tried again. */
  private async send(artifact: Artifact, method: string, upload?: Upload): Promise<IncomingMessage> {
    const target = await this.store.target(artifact).catch((error: Error) => {
      throw new Error(`${this.describe(artifact)}: ${error.message}`);
    });
    let url = new URL(target.url);
    let headers = target.headers;
    for (let attempt = 1, redirects = 0; ; ) {
      let response: IncomingMessage | undefined;
      try {
        response = await exchange(url, method, headers, upload, target.clientCert);
      } catch (error) {
        if (attempt >= ATTEMPTS) throw new Error(`${this.describe(artifact)}: ${method} failed: ${networkReason(error)}`);
      }
      const location = response?.headers.location;
      if (response && location && redirectFollowed(method, response.statusCode) && redirects < MAX_REDIRECTS) {
        response.resume();
        const next = new URL(location, url);
        // Credentials are for the server they were written for, as browsers and fetch have it.
        if (next.origin !== url.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
        url = next;
        redirects++;
        continue;
      }
      if (response && !(attempt < ATTEMPTS && TRANSIENT_STATUSES.has(response.statusCode ?? 0))) return response;
      response?.resume();
      await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
      attempt++;
    }
  }
}

/** A file sent as a request's body. */
interface Upload {
  path: string;
  length: number;
}

/**
 * One request and its answer, through node:http(s): Node 20's fetch reads a streamed request body whole
 * into memory before sending it (a 1 GiB artifact would be), where a piped request keeps to its buffers.
 */
function exchange(url: URL, method: string, headers: Record<string, string>, upload?: Upload, clientCert?: HttpTarget['clientCert']): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = { method, headers: upload ? { ...headers, 'content-length': String(upload.length) } : headers };
    const request = url.protocol === 'https:' ? httpsRequest(url, { ...options, ...clientCert }) : httpRequest(url, options);
    request.once('response', resolve);
    request.on('error', reject);
    // A server may answer (401, 413) before taking the whole body: the answer counts, the broken pipe not.
    if (upload) pipeline(createReadStream(upload.path), request).catch(reject);
    else request.end();
  });
}

/** OAuth2 tokens, shared by every http driver of this process, so a run's artifacts ask for one once. */
const tokens = new OAuth2Tokens();

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
  const headers: Record<string, string> = {};
  for (const header of location.headers ?? []) {
    const secret = header.valueFrom?.secretKeyRef;
    headers[header.name] = secret ? await context.secrets.secretValue(context.namespace, secret) : (header.value ?? '');
  }
  const { url, userinfo } = withoutUserinfo(location.url);
  const basic = await basicAuthHeaders(context, location.auth?.basicAuth?.usernameSecret, location.auth?.basicAuth?.passwordSecret);
  if (userinfo) headers.authorization = `Basic ${Buffer.from(userinfo).toString('base64')}`;
  const { oauth2, clientCert } = location.auth ?? {};
  const bearer = oauth2 && { authorization: `Bearer ${await oauth2Token(context, oauth2)}` };
  return { url, headers: { ...headers, ...basic, ...bearer }, ...(clientCert && { clientCert: await clientCertificate(context, clientCert) }) };
}

async function oauth2Token(context: DriverContext, { clientIDSecret, clientSecretSecret, tokenURLSecret, scopes = [], endpointParams = [] }: OAuth2Auth): Promise<string> {
  if (!tokenURLSecret) throw new Error('http.auth.oauth2 has no tokenURLSecret');
  const read = (selector?: SecretKeySelector) => (selector ? context.secrets.secretValue(context.namespace, selector) : Promise.resolve(''));
  const grant = { tokenUrl: await read(tokenURLSecret), clientId: await read(clientIDSecret), clientSecret: await read(clientSecretSecret), scopes, endpointParams };
  return tokens.token(grant);
}

async function clientCertificate(context: DriverContext, { clientCertSecret, clientKeySecret }: ClientCertAuth): Promise<{ cert: string; key: string }> {
  if (!clientCertSecret || !clientKeySecret) throw new Error('http.auth.clientCert needs both clientCertSecret and clientKeySecret');
  const read = (selector: SecretKeySelector) => context.secrets.secretValue(context.namespace, selector);
  return { cert: await read(clientCertSecret), key: await read(clientKeySecret) };
}

/** An `authorization: Basic …` header from a user name and password read from Secrets (either may be absent: empty); none without both. */
export async function basicAuthHeaders(context: DriverContext, usernameSecret?: SecretKeySelector, passwordSecret?: SecretKeySelector): Promise<Record<string, string>> {
  if (!usernameSecret && !passwordSecret) return {};
  const read = (selector?: SecretKeySelector) => (selector ? context.secrets.secretValue(context.namespace, selector) : Promise.resolve(''));
  return { authorization: `Basic ${Buffer.from(`${await read(usernameSecret)}:${await read(passwordSecret)}`).toString('base64')}` };
}

/** A URL's `user:password@` becomes basic auth (decoded, as a browser would), so the request line never carries it. */
function withoutUserinfo(raw: string): { url: string; userinfo?: string } {
  const url = new URL(raw);
  if (url.username === '' && url.password === '') return { url: raw };
  const userinfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.toString(), userinfo };
}

/** Redirects followed: any, for a GET; for a PUT or DELETE, those that keep the method and body (webHDFS answers a PUT with 307). */
function redirectFollowed(method: string, status: number | undefined): boolean {
  if (status === 307 || status === 308) return true;
  return method === 'GET' && (status === 301 || status === 302 || status === 303);
}

/** What TLS or the network said: a certificate problem in words, else the error code (ECONNREFUSED, …), else its message's first line. */
function networkReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') return 'the server requires a client certificate (set auth.clientCert)';
  const untrusted = untrustedCertificate(error);
  if (untrusted) return untrusted;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

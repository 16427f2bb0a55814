// One HTTP exchange of an HTTP template, within the worker's bounds. Every address the host resolves
// to is checked against the egress policy inside the socket's own lookup, so the address checked is
// the one connected to and a refused one sees no traffic; an address written in the URL is checked
// before the request is made. Redirects are followed as Go's client does (at most 10, 301-303 turn
// into GET) and checked alike. The body is read up to a cap and no further.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { EgressPolicy } from './egress-policy.js';

export interface HttpExchange {
  status: number;
  /** As Go's http.Header: each name, lower-cased here, with all its values. */
  headers: Record<string, string[]>;
  body: string;
}

export interface SendOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  policy: EgressPolicy;
  maxBodyBytes: number;
  insecureSkipVerify?: boolean;
}

/** Refused by this worker's bounds rather than failed on the network: the node's message says which. */
export class RequestRefused extends Error {}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Go's client does not carry these to another host. */
const CREDENTIALS = ['authorization', 'www-authenticate', 'cookie', 'cookie2'];

export async function send(url: string, options: SendOptions): Promise<HttpExchange> {
  let target = parseUrl(url);
  let { method, body } = options;
  let headers = options.headers;
  for (let redirects = 0; ; redirects++) {
    const response = await exchange(target, method, headers, body, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || location === undefined) {
      return { status, headers: response.headersDistinct as Record<string, string[]>, body: await readBody(response, options.maxBodyBytes) };
    }
    // A redirect's body is not read: its connection is not reused (no agent), and it may not end.
    response.destroy();
    if (redirects === MAX_REDIRECTS) throw new RequestRefused(`stopped after ${MAX_REDIRECTS} redirects`);
    const next = parseUrl(location, target);
    if (status <= 303 && method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = undefined;
    }
    if (next.host !== target.host) {
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIALS.includes(name.toLowerCase())));
    }
    target = next;
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new RequestRefused(`${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestRefused(`unsupported protocol scheme "${url.protocol.slice(0, -1)}"`);
  return url;
}

function exchange(url: URL, method: string, headers: Record<string, string>, body: string | undefined, options: SendOptions): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const refused = options.policy.refuseHost(host) ?? (isIP(host) ? options.policy.refuseAddress(host) : undefined);
  if (refused !== undefined) return Promise.reject(new RequestRefused(refused));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A body goes with its length, as Go's client sends it, not chunked.
    const sized = body === undefined || Object.keys(headers).some((name) => name.toLowerCase() === 'content-length') ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const outgoing = request(url, {
      method,
      headers: sized,
      signal: options.signal,
      lookup: checkedLookup(options.policy),
      // A connection per request: a node makes one, and a pooled socket would outlive the node.
      agent: false,
      ...(url.protocol === 'https:' && { rejectUnauthorized: !options.insecureSkipVerify }),
    });
    outgoing.on('response', resolve);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** dns.lookup, refusing the connection when any address the name resolves to is refused. */
function checkedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.map(({ address }) => policy.refuseAddress(address)).find((reason) => reason !== undefined);
      if (refused !== undefined) return callback(new RequestRefused(`${hostname}: ${refused}`), '', 0);
      if (options.all) return (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      return callback(null, first!.address, first!.family);
    });
  };
}

async function readBody(response: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => {
    response.destroy();
    return new RequestRefused(`response body is over the limit of ${maxBytes} bytes`);
  };
  if (Number(response.headers['content-length']) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The kubelet's HTTPS endpoint, for what the apiserver proxies to it: `pods/log` becomes
// GET /containerLogs/<namespace>/<pod>/<container>?follow=&tailLines=&sinceSeconds=&timestamps=&limitBytes=.
// Only clients with a certificate from the plane's CA are served (the apiserver shows its
// --kubelet-client-certificate), as a kubelet with --client-ca-file does.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ContainerLog, LogQuery } from './container-logs.js';

/** A container's log, or why there is none to read (an HTTP status and the kubelet's words). */
export type LogLookup = (namespace: string, pod: string, container: string) => ContainerLog | { status: number; message: string };

export interface KubeletServer {
  port: number;
  close(): Promise<void>;
}

export async function startKubeletServer(tls: { cert: string; key: string; ca: string }, lookup: LogLookup): Promise<KubeletServer> {
  const server: Server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (request, response) => {
    const url = new URL(request.url ?? '/', 'https://kubelet');
    const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (request.method !== 'GET' || parts.length !== 4 || parts[0] !== 'containerLogs') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`404 page not found: ${request.method} ${url.pathname}\n`);
      return;
    }
    const query = logQuery(url.searchParams);
    if ('error' in query) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end(`${query.error}\n`);
      return;
    }
    const log = lookup(parts[1]!, parts[2]!, parts[3]!);
    if (!('read' in log)) {
      response.writeHead(log.status, { 'content-type': 'text/plain' }).end(`${log.message}\n`);
      return;
    }
    const aborted = new AbortController();
    response.on('close', () => aborted.abort());
    response.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    void (async () => {
      let left = query.limitBytes ?? Infinity;
      for await (const whole of log.read(query, url.searchParams.get('follow') === 'true', aborted.signal)) {
        // limitBytes cuts the output there, mid-line if need be, as the kubelet does.
        const line = Buffer.byteLength(whole) <= left ? whole : Buffer.from(whole).subarray(0, left);
        left -= Buffer.byteLength(line);
        // Waits for the client to take what was written, so that a slow follower holds no unbounded buffer.
        if (!response.write(line)) {
          await new Promise((resolve) => {
            response.once('drain', resolve);
            response.once('close', resolve);
          });
        }
        if (left <= 0) break;
      }
      response.end();
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** PodLogOptions as query parameters: the numbers checked, as the kubelet's decoder does. */
function logQuery(params: URLSearchParams): LogQuery | { error: string } {
  const query: LogQuery = { timestamps: params.get('timestamps') === 'true' };
  for (const name of ['tailLines', 'sinceSeconds', 'limitBytes'] as const) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    if (!/^\d+$/.test(value)) return { error: `${name}: "${value}" is not a non-negative integer` };
    query[name] = Number(value);
  }
  return query;
}

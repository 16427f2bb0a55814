// HTTP and Artifactory artifacts are tested against this loopback server: objects kept by path (PUT,
// GET, DELETE), every request recorded, basic auth required where asked, and a few paths that misbehave
// on purpose (`/broken` answers 500, `/flaky` 503 once, `/moved/*` redirects with 307 to `/landed/*`, on
// this server or the one `redirectTo` names). With `tls` it serves HTTPS (a client certificate required
// where those options ask), with `bearerToken` it wants that OAuth2 token.
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer, type ServerOptions as TlsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Bytes received with the request, and whether they came with a Content-Length (no chunked upload). */
  received: number;
  contentLength?: string;
}

export interface HttpObjectServer {
  url: string;
  objects: Map<string, Buffer>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface HttpObjectServerOptions {
  basicAuth?: { username: string; password: string };
  bearerToken?: string;
  redirectTo?: string;
  tls?: TlsOptions;
}

export async function startHttpObjectServer(options: HttpObjectServerOptions = {}): Promise<HttpObjectServer> {
  const objects = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  let flakyAnswered = false;
  const basic = options.basicAuth && `Basic ${Buffer.from(`${options.basicAuth.username}:${options.basicAuth.password}`).toString('base64')}`;
  const expected = basic ?? (options.bearerToken && `Bearer ${options.bearerToken}`);
  const serve: RequestListener = (request, response) => {
    void (async () => {
      const body = await buffer(request);
      const path = new URL(request.url ?? '/', 'http://server').pathname;
      requests.push({ method: request.method ?? '', path, headers: request.headers, received: body.length, contentLength: request.headers['content-length'] });
      if (path.startsWith('/moved/')) return response.writeHead(307, { location: `${options.redirectTo ?? ''}${path.replace('/moved/', '/landed/')}` }).end();
      if (expected && request.headers.authorization !== expected) return response.writeHead(401, 'Unauthorized').end();
      if (path === '/broken') return response.writeHead(500, 'Internal Server Error').end('a long page of HTML');
      if (path === '/flaky' && !flakyAnswered) {
        flakyAnswered = true;
        return response.writeHead(503, 'Service Unavailable').end();
      }
      switch (request.method) {
        case 'PUT':
          objects.set(path, body);
          return response.writeHead(201).end();
        case 'GET': {
          const object = objects.get(path);
          return object ? response.writeHead(200, { 'content-length': object.length }).end(object) : response.writeHead(404, 'Not Found').end();
        }
        case 'DELETE':
          return response.writeHead(objects.delete(path) ? 204 : 404).end();
        default:
          return response.writeHead(405).end();
      }
    })();
  };
  const server: Server = options.tls ? createTlsServer(options.tls, serve) : createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    objects,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

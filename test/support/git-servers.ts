// Git artifacts are tested against repositories served from a folder of bare repositories: by
// `git daemon` (git://) on a loopback port, and by `git http-backend` behind a loopback HTTP server that
// demands basic auth (what an https remote with user and password does). Both are stopped by the test.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { freePort } from './free-port.js';
import { stopChild } from './stop-child.js';
import { until } from './until.js';

export interface GitServer {
  /** The URL of the folder of repositories: `<url>/<name>.git` is one. */
  url: string;
  stop(): Promise<void>;
}

/** `git daemon` exporting every repository under `root`, read-only. */
export async function startGitDaemon(root: string): Promise<GitServer> {
  const port = await freePort();
  const child = spawn('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${root}`, '--listen=127.0.0.1', `--port=${port}`, root], { stdio: 'ignore' });
  await until('git daemon to listen', () => accepts(port), 10_000);
  return { url: `git://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Git's smart HTTP (`git http-backend`, a CGI program) for the repositories under `root`, behind basic auth. */
export async function startGitHttpServer(root: string, credentials: { username: string; password: string }): Promise<GitServer> {
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server = createServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://server');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
        REMOTE_USER: credentials.username,
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    request.pipe(cgi.stdin);
    // A CGI answer is headers (`Status:` among them), a blank line, then the body.
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      cgi.stdout.off('data', onData);
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.write(head.subarray(end + 4));
      cgi.stdout.pipe(response);
    };
    cgi.stdout.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// A small in-memory Kubernetes API server for pods only, over plain HTTP on loopback: the second, faster
// proof of the Kubernetes executor (the real one is test/support/kube-control-plane.ts). It keeps
// resourceVersions and an event history as the API server's watch cache does: list, watch from a version
// (410 Expired once `expire()` dropped it), create (409 AlreadyExists), get, JSON merge patch of a pod and
// of its status, delete (with a grace period a pod bound to a node waits, marked for deletion). It binds
// every pod to `nodeName` at once, as a scheduler would with one node.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

type Pod = { metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string>; deletionTimestamp?: string; [key: string]: unknown }; spec?: Record<string, unknown>; status?: Record<string, unknown> };
interface Event {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Pod;
  /** The object before this change; none for an ADDED. */
  previous?: Pod;
  version: number;
}

export interface FakeKubeApi {
  url: string;
  /** Forgets the event history, as a compacted watch cache: a watch from an older version gets 410. */
  expire(): void;
  /** Drops every open watch connection. */
  cutWatches(): void;
  /** The next `count` pod creations are refused as a namespace's ResourceQuota refuses them (403). */
  exceedQuota(count: number): void;
  /** What pods/log answers for a container (as a kubelet would, for one that already ended). */
  setLog(namespace: string, pod: string, container: string, text: string): void;
  close(): Promise<void>;
}

export async function startFakeKubeApi(nodeName: string): Promise<FakeKubeApi> {
  const pods = new Map<string, Pod>();
  const history: Event[] = [];
  let version = 1;
  let oldest = 1;
  const watchers = new Set<(event: Event) => void>();
  const watchResponses = new Set<ServerResponse>();
  const logs = new Map<string, string>();
  let quotaRefusals = 0;
  const sockets = new Set<Socket>();

  const record = (type: Event['type'], pod: Pod) => {
    version++;
    const object = structuredClone(pod);
    object.metadata.resourceVersion = String(version);
    const previous = pods.get(key(pod));
    if (type === 'DELETED') pods.delete(key(pod));
    else pods.set(key(pod), object);
    const event = { type, object, previous, version };
    history.push(event);
    for (const watcher of watchers) watcher(event);
    return object;
  };

  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      try {
        handle(request, response, body);
      } catch (error) {
        send(response, 500, status(500, 'InternalError', (error as Error).message));
      }
    });
  });

  function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const match = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods(?:\/([^/]+))?(?:\/(status|log))?$/.exec(url.pathname);
    if (!match) return send(response, 404, status(404, 'NotFound', `${url.pathname}: not served by the fake API server`));
    const [, namespace, name, sub] = match;
    const selector = url.searchParams.get('labelSelector') ?? '';
    const id = `${namespace}/${name}`;
    if (sub === 'log') {
      const text = logs.get(`${id}/${url.searchParams.get('container')}`);
      if (text === undefined) return send(response, 400, status(400, 'BadRequest', 'no kubelet serves logs here'));
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end(text);
    }
    if (!name && request.method === 'GET' && url.searchParams.get('watch') === 'true') return watch(response, Number(url.searchParams.get('resourceVersion') || version), namespace, selector);
    if (!name && request.method === 'GET') {
      const items = [...pods.values()].filter((pod) => (!namespace || pod.metadata.namespace === namespace) && matches(pod, selector));
      return send(response, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(version) }, items });
    }
    if (!name && request.method === 'POST') {
      const pod = JSON.parse(body) as Pod;
      pod.metadata.namespace = namespace!;
      if (pods.has(key(pod))) return send(response, 409, status(409, 'AlreadyExists', `pods "${pod.metadata.name}" already exists`));
      if (quotaRefusals > 0) {
        quotaRefusals--;
        return send(response, 403, status(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=10, limited: pods=10`));
      }
      pod.metadata = { ...pod.metadata, uid: randomUUID(), creationTimestamp: new Date().toISOString() };
      pod.spec = { ...pod.spec, nodeName };
      pod.status = { phase: 'Pending' };
      return send(response, 201, record('ADDED', pod));
    }
    const pod = pods.get(id);
    if (!pod) return send(response, 404, status(404, 'NotFound', `pods "${name}" not found`));
    if (request.method === 'GET') return send(response, 200, pod);
    if (request.method === 'PATCH') {
      if (!String(request.headers['content-type']).startsWith('application/merge-patch+json')) return send(response, 415, status(415, 'UnsupportedMediaType', 'the fake takes merge patches only'));
      const patch = JSON.parse(body) as Record<string, unknown>;
      // The status subresource changes only the status; the pod itself everything but the status.
      const scoped = sub === 'status' ? { status: patch.status } : { ...patch, status: undefined };
      return send(response, 200, record('MODIFIED', mergePatch(pod, scoped) as Pod));
    }
    if (request.method === 'DELETE') {
      // As the apiserver: a DeleteOptions body, where there is one, wins over the query's parameters.
      const options = body ? (JSON.parse(body) as { gracePeriodSeconds?: number }) : { gracePeriodSeconds: url.searchParams.get('gracePeriodSeconds') ?? undefined };
      const grace = Number(options.gracePeriodSeconds ?? 30);
      if (grace === 0) return send(response, 200, record('DELETED', pod));
      // A bound pod waits for its kubelet to confirm the containers ended; none does here.
      return send(response, 200, record('MODIFIED', { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString() } }));
    }
    send(response, 405, status(405, 'MethodNotAllowed', `${request.method} not allowed`));
  }

  function watch(response: ServerResponse, from: number, namespace: string | undefined, selector: string): void {
    response.writeHead(200, { 'content-type': 'application/json' });
    if (from < oldest - 1) {
      response.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${oldest})`) })}\n`);
      return;
    }
    // As the API server's watch cache: an object that stops matching the selector is DELETED for this
    // watch, one that starts matching is ADDED.
    const push = (event: Event) => {
      if (event.version <= from) return;
      if (namespace && event.object.metadata.namespace !== namespace) return;
      const before = event.previous !== undefined && matches(event.previous, selector);
      const after = event.type !== 'DELETED' && matches(event.object, selector);
      if (!before && !after) return;
      const type = before && after ? event.type : after ? 'ADDED' : 'DELETED';
      response.write(`${JSON.stringify({ type, object: event.object })}\n`);
    };
    for (const event of history) push(event);
    watchers.add(push);
    watchResponses.add(response);
    response.on('close', () => (watchers.delete(push), watchResponses.delete(response)));
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expire: () => {
      history.length = 0;
      oldest = version + 1;
    },
    exceedQuota: (count) => void (quotaRefusals = count),
    setLog: (namespace, pod, container, text) => void logs.set(`${namespace}/${pod}/${container}`, text),
    cutWatches: () => {
      for (const response of watchResponses) response.socket?.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function key(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

/** Equality terms (`a=b`, `c!=d`), what the executor uses. */
function matches(pod: Pod, selector: string): boolean {
  return selector
    .split(',')
    .filter(Boolean)
    .every((term) => {
      const [, label, not, value] = /^([^!=]+)(!?)=(.*)$/.exec(term) ?? [];
      return (pod.metadata.labels?.[label!] === value) !== (not === '!');
    });
}

/** RFC 7386. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else if (value !== undefined) result[name] = mergePatch(result[name], value);
  }
  return result;
}

function status(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function send(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

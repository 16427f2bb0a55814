// Tests of the server: an app over a fresh key prefix of the test Redis, with tokens minted on it,
// and everything under the prefix removed on close.
import { createLogger } from '@regatta/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './src/app.js';
import type { AuthMode } from './src/auth/authorize.js';
import type { Role } from './src/auth/roles.js';
import { openServerResources, type ServerResources } from './src/resources.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../test/support/redis.js';

export interface TestServer {
  app: FastifyInstance;
  resources: ServerResources;
  /** `{ authorization: 'Bearer …' }` for a new token of that role (every namespace unless given). */
  auth(role: Role, namespace?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function startTestServer(options: ServerOptions & { authMode?: AuthMode } = {}): Promise<TestServer> {
  const prefix = uniquePrefix();
  const logger = createLogger('server-test', { level: 'silent' });
  const resources = openServerResources({ redisUrl: REDIS_URL, prefix, shards: 2, authMode: options.authMode ?? 'client', logger });
  const app = await buildServer(resources, options);
  return {
    app,
    resources,
    auth: async (role, namespace) => ({ authorization: `Bearer ${(await resources.tokens.create(role, namespace)).token}` }),
    close: async () => {
      await app.close();
      await resources.close();
      await removePrefix(prefix);
    },
  };
}

/** A workflow with one suspend node: it stays Running with no worker, and nothing runs. */
export function suspendWorkflow(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, labels },
    spec: { entrypoint: 'wait', templates: [{ name: 'wait', suspend: {} }] },
  };
}

/** Reads a stream's results (SSE, or JSON lines when `sse` is false) as they come; `close` ends it. */
export function readStream(url: string, headers: Record<string, string>, sse = true): { next(): Promise<Record<string, unknown>>; done: Promise<void>; close(): void } {
  const abort = new AbortController();
  let ended = false;
  const queue: Record<string, unknown>[] = [];
  let waiting: (() => void) | undefined;
  const done = (async () => {
    const response = await fetch(url, { headers: { ...headers, ...(sse && { accept: 'text/event-stream' }) }, signal: abort.signal });
    if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
    const decoder = new TextDecoder();
    let buffer = '';
    const separator = sse ? '\n\n' : '\n';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf(separator)) !== -1) {
          const message = buffer.slice(0, at);
          buffer = buffer.slice(at + separator.length);
          const data = sse ? message.split('\n').find((line) => line.startsWith('data: '))?.slice(6) : message;
          if (!data) continue;
          queue.push((JSON.parse(data) as { result: Record<string, unknown> }).result);
          waiting?.();
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      ended = true;
      waiting?.();
    }
  })();
  done.catch(() => {});
  return {
    async next() {
      while (queue.length === 0) {
        if (ended) {
          await done;
          throw new Error('stream ended');
        }
        await new Promise<void>((resolve) => (waiting = resolve));
      }
      return queue.shift()!;
    },
    done,
    close: () => abort.abort(),
  };
}

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

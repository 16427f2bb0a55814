// An OpenAPI 3 document of every path this server answers, served at /api/v1/openapi.json. Built from
// the routes as they are registered (onRoute), so a routes file added later appears without editing
// a second list; a route's `schema.summary` / `schema.description`, when given, are carried over.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { VERSION } from '../version.js';

const UNAUTHENTICATED = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/info', '/api/v1/version', '/api/v1/openapi.json']);

interface Operation {
  summary?: string;
  description?: string;
  parameters: { name: string; in: 'path'; required: true; schema: { type: 'string' } }[];
  security?: unknown[];
  responses: Record<string, { description: string }>;
}

const ERROR_RESPONSES = {
  '400': { description: 'bad request: {code: 3, message}' },
  '401': { description: 'no or invalid bearer token: {code: 16, message}' },
  '403': { description: "the token's role or namespace does not allow it: {code: 7, message}" },
  '404': { description: 'not found: {code: 5, message}' },
  '409': { description: 'already exists (code 6), or does not apply now (code 9)' },
};

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  const paths: Record<string, Record<string, Operation>> = {};
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((method) => method !== 'HEAD');
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [...route.url.matchAll(/:(\w+)/g)].map(([, name]) => ({ name: name!, in: 'path' as const, required: true as const, schema: { type: 'string' as const } }));
    const schema = route.schema as { summary?: string; description?: string } | undefined;
    for (const method of methods) {
      (paths[path] ??= {})[method.toLowerCase()] = {
        ...(schema?.summary && { summary: schema.summary }),
        ...(schema?.description && { description: schema.description }),
        parameters,
        ...(UNAUTHENTICATED.has(route.url) && { security: [] }),
        responses: { '200': { description: 'OK (streams: SSE with Accept: text/event-stream, else JSON lines)' }, ...ERROR_RESPONSES },
      };
    }
  });

  app.get('/api/v1/openapi.json', async () => ({
    openapi: '3.0.3',
    info: { title: 'Regatta Server (Argo Server API)', version: VERSION },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  }));
}

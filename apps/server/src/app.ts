// The HTTP server: a fastify app with Argo's error shape, the authorize decorator, and one routes
// file per area (see ../README-routes.md for how to add one).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installAuthorize } from './auth/authorize.js';
import { installErrorHandler } from './error-handler.js';
import type { ServerResources } from './resources.js';
import { workflowRoutes } from './routes/workflows.js';
import { archivedWorkflowRoutes } from './routes/archived-workflows.js';

export interface ServerOptions {
  /** Larger request bodies are answered 413 (default 1 MiB). */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export async function buildServer(resources: ServerResources, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one routes take.
    loggerInstance: resources.logger as FastifyBaseLogger,
    bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    // Argo's names and uids are never case-folded; a trailing slash is the same path.
    routerOptions: { ignoreTrailingSlash: true },
  });
  installErrorHandler(app);
  installAuthorize(app, resources.authMode, resources.tokens);

  await workflowRoutes(app, resources);
  await archivedWorkflowRoutes(app, resources);
  return app;
}

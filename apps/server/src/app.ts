// The HTTP server: a fastify app with Argo's error shape, the authorize decorator, and one routes
// file per area (see ../README-routes.md for how to add one). On close it first ends every event
// stream (they would hold the close forever), then lets in-flight requests finish.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installAuthorize } from './auth/authorize.js';
import { installErrorHandler } from './error-handler.js';
import { ServerMetrics } from './metrics.js';
import type { ServerResources } from './resources.js';
import { artifactRoutes } from './routes/artifacts.js';
import { archivedWorkflowRoutes } from './routes/archived-workflows.js';
import { healthRoutes } from './routes/health.js';
import { infoRoutes } from './routes/info.js';
import { openApiRoutes } from './routes/openapi.js';
import { workflowLogRoutes } from './routes/workflow-logs.js';
import { workflowWatchRoutes } from './routes/workflow-watch.js';
import { workflowRoutes } from './routes/workflows.js';
import { streaming } from './streaming.js';
import { WatchHub } from './watch-hub.js';
import { eventRoutes } from './routes/events.js';
import { workflowTemplateRoutes } from './routes/workflow-templates.js';
import { clusterWorkflowTemplateRoutes } from './routes/cluster-workflow-templates.js';
import { cronWorkflowRoutes } from './routes/cron-workflows.js';

export interface ServerOptions {
  /** Larger request bodies are answered 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** HTTPS: PEM certificate and key. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export async function buildServer(resources: ServerResources, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one routes take.
    loggerInstance: resources.logger as FastifyBaseLogger,
    bodyLimit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    // Requests that come while closing are answered 503; idle keep-alive connections are closed.
    return503OnClosing: true,
    ...(options.tls && { https: options.tls }),
  }) as unknown as FastifyInstance;
  const metrics = new ServerMetrics();
  const closing = new AbortController();
  const hub = new WatchHub(resources.redisUrl, resources.workflowStore, resources.logger);
  app.addHook('preClose', async () => closing.abort());
  app.addHook('onClose', async () => hub.close());
  installErrorHandler(app);
  installAuthorize(app, resources.authMode, resources.tokens);
  metrics.install(app);
  const streams = streaming(hub, closing.signal, metrics);

  // First: it records every route registered after it.
  await openApiRoutes(app);
  await healthRoutes(app, resources, metrics, closing.signal);
  await infoRoutes(app, resources);
  await workflowRoutes(app, resources);
  await workflowWatchRoutes(app, resources, streams);
  await workflowLogRoutes(app, resources, streams);
  await eventRoutes(app, resources);
  await workflowTemplateRoutes(app, resources);
  await clusterWorkflowTemplateRoutes(app, resources);
  await cronWorkflowRoutes(app, resources);
  await archivedWorkflowRoutes(app, resources);
  await artifactRoutes(app, resources);
  return app;
}

// Liveness, readiness and metrics: /healthz answers while the process serves (no Redis involved, so a
// Redis outage does not get the server restarted), /readyz only while Redis answers and the server
// is not shutting down, /metrics the server's Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import { unavailable } from '../http-error.js';
import type { ServerMetrics } from '../metrics.js';
import type { ServerResources } from '../resources.js';

const READY_TIMEOUT_MS = 2000;

export async function healthRoutes(app: FastifyInstance, resources: ServerResources, metrics: ServerMetrics, closing: AbortSignal): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async () => {
    if (closing.aborted) throw unavailable('shutting down');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)));
    try {
      await Promise.race([resources.redis.ping(), timeout]);
    } catch (error) {
      throw unavailable(`redis: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ok' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

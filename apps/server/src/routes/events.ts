// Argo Server's EventService and WorkflowEventBindingService: `POST /api/v1/events/{namespace}/
// {discriminator}` (the discriminator may be left out) answers `{}` at once and offers the event to
// the namespace's WorkflowEventBindings later, through a bounded queue (503 when full); the bindings
// are listed at `/api/v1/workflow-event-bindings/{namespace}`. Sending an event needs the right to
// create in the namespace, as Argo asks for the right to submit. Payloads and headers are never
// logged: they may hold secrets.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EventDispatcher, type WorkflowEvent } from '@regatta/client';
import { EventQueue } from '../event-queue.js';
import { badRequest, unavailable } from '../http-error.js';
import { decode } from '../request.js';
import type { ServerResources } from '../resources.js';
import { selectByLabels } from '../stored-resource-routes.js';

const eventPath = z.strictObject({ namespace: z.string().min(1), discriminator: z.string().optional() });
const namespaced = z.strictObject({ namespace: z.string().min(1) });

export async function eventRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  const logger = resources.logger.child({ component: 'events' });
  const dispatcher = new EventDispatcher(resources.resourceStore, resources.client);
  const queue = new EventQueue<WorkflowEvent>(
    async (event) => {
      for (const outcome of await dispatcher.dispatch(event)) {
        const where = { namespace: event.namespace, binding: outcome.binding };
        if ('error' in outcome) logger.warn({ ...where, error: outcome.error }, 'event binding failed');
        else if (outcome.matched && outcome.workflow) logger.info({ ...where, workflow: outcome.workflow.metadata.name }, 'workflow submitted from event');
      }
    },
    (error) => logger.error({ err: error }, 'event dispatch failed'),
    resources.eventQueue,
  );
  app.addHook('onClose', () => queue.drained());

  await app.register(async (scope) => {
    // Argo takes any body as JSON whatever its content type (`curl -d` sends a form type).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, body === '' ? null : JSON.parse(body as string));
      } catch {
        done(badRequest('body: the event payload must be JSON'));
      }
    });
    const post = async (request: FastifyRequest) => {
      const { namespace, discriminator = '' } = decode(eventPath, request.params, 'path');
      await request.authorize(namespace, 'create');
      if (!queue.offer({ namespace, discriminator, payload: request.body ?? null, headers: request.headers })) {
        throw unavailable('the event queue is full; send the event again later');
      }
      return {};
    };
    scope.post('/api/v1/events/:namespace', post);
    scope.post('/api/v1/events/:namespace/:discriminator', post);
  });

  app.get('/api/v1/workflow-event-bindings/:namespace', async (request) => {
    const { namespace } = decode(namespaced, request.params, 'path');
    await request.authorize(namespace, 'list');
    return { metadata: {}, items: selectByLabels(await resources.resourceStore.list('WorkflowEventBinding', namespace), request.query) };
  });
}

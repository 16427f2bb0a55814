// Argo Server's WorkflowService on its paths (pkg/apiclient/workflow/workflow.proto): create, lint,
// list, get, delete, submit from a stored resource, and the controls. Every operation goes through
// the WorkflowClient; this file only decodes requests and shapes answers as Argo does.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { prepareWorkflow } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { badRequest } from '../http-error.js';
import { decode } from '../request.js';
import type { ServerResources } from '../resources.js';

const namespaced = z.strictObject({ namespace: z.string().min(1) });
const named = z.strictObject({ namespace: z.string().min(1), name: z.string().min(1) });

const createBody = z.strictObject({
  namespace: z.string().optional(),
  workflow: z.record(z.string(), z.unknown()),
  serverDryRun: z.boolean().optional(),
  createOptions: z.looseObject({ dryRun: z.array(z.string()).optional() }).optional(),
});

/**
 * A workflow object from a request body, prepared for `namespace` as a submitted file is; a
 * namespace of its own that differs is refused rather than silently moved.
 */
export function workflowFromBody(value: Record<string, unknown>, namespace: string, where: string, shards: number): Workflow {
  const own = (value.metadata as { namespace?: unknown } | undefined)?.namespace;
  if (own !== undefined && own !== namespace) {
    throw badRequest(`${where}.metadata.namespace: "${String(own)}" does not match the namespace of the path, "${namespace}"`);
  }
  return prepareWorkflow(JSON.stringify(value), where, { namespace, shards });
}

export async function workflowRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  const { client } = resources;

  app.post('/api/v1/workflows/:namespace', async (request) => {
    const { namespace } = decode(namespaced, request.params, 'path');
    await request.authorize(namespace, 'create');
    const body = decode(createBody, request.body, 'body');
    const workflow = workflowFromBody(body.workflow, namespace, 'body.workflow', resources.shards);
    if (body.serverDryRun || body.createOptions?.dryRun?.length) {
      await client.lintWorkflow(workflow);
      return workflow;
    }
    return client.createWorkflow(workflow);
  });

  app.get('/api/v1/workflows/:namespace', async (request) => {
    const { namespace } = decode(namespaced, request.params, 'path');
    await request.authorize(namespace, 'list');
    const items = await Promise.all((await client.listWorkflows(namespace)).map((summary) => client.getWorkflow(namespace, summary.name)));
    return { metadata: {}, items };
  });

  app.get('/api/v1/workflows/:namespace/:name', async (request) => {
    const { namespace, name } = decode(named, request.params, 'path');
    await request.authorize(namespace, 'get');
    return client.getWorkflow(namespace, name);
  });

  app.delete('/api/v1/workflows/:namespace/:name', async (request) => {
    const { namespace, name } = decode(named, request.params, 'path');
    await request.authorize(namespace, 'delete');
    await client.deleteWorkflow(namespace, name);
    return {};
  });
}

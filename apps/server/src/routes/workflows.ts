// Argo Server's WorkflowService on its paths (pkg/apiclient/workflow/workflow.proto): create, lint,
// list, get, delete, submit from a stored resource, and the controls. Every operation goes through
// the WorkflowClient (the list reads the store, for its selectors and pages); this file only decodes
// requests and shapes answers as Argo does.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { prepareWorkflow } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { parseFields, project } from '../fields.js';
import { badRequest } from '../http-error.js';
import { decode, namespaceParam } from '../request.js';
import type { ServerResources } from '../resources.js';
import { listWorkflows, parseListQuery } from '../workflow-list.js';

const namespaced = z.strictObject({ namespace: namespaceParam });
const named = z.strictObject({ namespace: namespaceParam, name: z.string().min(1) });

const createBody = z.strictObject({
  namespace: z.string().optional(),
  workflow: z.record(z.string(), z.unknown()),
  serverDryRun: z.boolean().optional(),
  createOptions: z.looseObject({ dryRun: z.array(z.string()).optional() }).optional(),
});
const lintBody = z.strictObject({ namespace: z.string().optional(), workflow: z.record(z.string(), z.unknown()) });

const listQuery = z.looseObject({
  'listOptions.labelSelector': z.string().optional(),
  'listOptions.fieldSelector': z.string().optional(),
  'listOptions.limit': z.coerce.number().int().nonnegative().optional(),
  'listOptions.continue': z.string().optional(),
  fields: z.string().optional(),
  nameFilter: z.string().optional(),
  createdAfter: z.string().optional(),
  finishedBefore: z.string().optional(),
});
const getQuery = z.looseObject({ fields: z.string().optional() });

/** `["a=b", …]` as Argo's submitOptions.parameters give them; labels and annotations as `a=b,c=d`. */
const keyValues = (entries: string[], where: string): Record<string, string> =>
  Object.fromEntries(
    entries.map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw badRequest(`${where}: "${entry}" is not name=value`);
      return [entry.slice(0, eq), entry.slice(eq + 1)];
    }),
  );
const commaList = (text: string | undefined) => (text ? text.split(',').filter((part) => part !== '') : []);

const submitBody = z.strictObject({
  namespace: z.string().optional(),
  resourceKind: z.enum(['WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']),
  resourceName: z.string().min(1),
  submitOptions: z
    .strictObject({
      name: z.string().optional(),
      generateName: z.string().optional(),
      // Argo's JSON name is entryPoint.
      entryPoint: z.string().optional(),
      parameters: z.array(z.string()).optional(),
      labels: z.string().optional(),
      annotations: z.string().optional(),
      serverDryRun: z.boolean().optional(),
      dryRun: z.boolean().optional(),
    })
    .optional(),
});

// The controls' bodies repeat the path's name and namespace (grpc-gateway's `body: "*"`).
const controlBase = { namespace: z.string().optional(), name: z.string().optional() };
const controlBodies = {
  suspend: z.strictObject(controlBase),
  terminate: z.strictObject(controlBase),
  resume: z.strictObject({ ...controlBase, nodeFieldSelector: z.string().optional() }),
  stop: z.strictObject({ ...controlBase, nodeFieldSelector: z.string().optional(), message: z.string().optional() }),
  retry: z.strictObject({ ...controlBase, restartSuccessful: z.literal(false).optional(), nodeFieldSelector: z.literal('').optional() }),
  set: z.strictObject({
    ...controlBase,
    nodeFieldSelector: z.string().min(1),
    message: z.string().optional(),
    phase: z.enum(['Succeeded', 'Failed', 'Error']).optional(),
    // A JSON object of name → value, in a string, as Argo takes it.
    outputParameters: z.string().optional(),
  }),
  resubmit: z.strictObject({ ...controlBase, memoized: z.boolean().optional() }),
};

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

/** Create and lint alike: the namespace authorized for 'create', the body decoded, and the workflow it carries prepared. */
async function workflowRequest<T extends { namespace?: string; workflow: Record<string, unknown> }>(
  request: FastifyRequest,
  schema: z.ZodType<T>,
  shards: number,
): Promise<{ body: T; workflow: Workflow }> {
  const { namespace } = decode(namespaced, request.params, 'path');
  await request.authorize(namespace, 'create');
  const body = decode(schema, request.body, 'body');
  checkSamePlace(body, namespace);
  return { body, workflow: workflowFromBody(body.workflow, namespace, 'body.workflow', shards) };
}

function checkSamePlace(body: { namespace?: string; name?: string }, namespace: string, name?: string): void {
  if (body.namespace !== undefined && body.namespace !== '' && body.namespace !== namespace) throw badRequest(`body.namespace: "${body.namespace}" does not match the path's "${namespace}"`);
  if (name !== undefined && body.name !== undefined && body.name !== '' && body.name !== name) throw badRequest(`body.name: "${body.name}" does not match the path's "${name}"`);
}

function outputParameters(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('body.outputParameters: not JSON');
  }
  return decode(z.record(z.string(), z.string()), parsed, 'body.outputParameters');
}

export async function workflowRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  const { client } = resources;

  app.post('/api/v1/workflows/:namespace', async (request) => {
    const { body, workflow } = await workflowRequest(request, createBody, resources.shards);
    if (body.serverDryRun || body.createOptions?.dryRun?.length) {
      await client.lintWorkflow(workflow);
      return workflow;
    }
    return client.createWorkflow(workflow);
  });

  app.post('/api/v1/workflows/:namespace/lint', async (request) => {
    const { workflow } = await workflowRequest(request, lintBody, resources.shards);
    await client.lintWorkflow(workflow);
    return workflow;
  });

  app.post('/api/v1/workflows/:namespace/submit', async (request) => {
    const { namespace } = decode(namespaced, request.params, 'path');
    await request.authorize(namespace, 'create');
    const body = decode(submitBody, request.body, 'body');
    checkSamePlace(body, namespace);
    const options = body.submitOptions ?? {};
    if (options.dryRun || options.serverDryRun) throw badRequest('body.submitOptions: dryRun and serverDryRun are not supported for submit; lint the template instead');
    const workflow = await client.submitFrom(body.resourceKind, body.resourceName, {
      namespace,
      ...(options.name && { name: options.name }),
      ...(options.generateName && { generateName: options.generateName }),
      ...(options.entryPoint && { entrypoint: options.entryPoint }),
      ...(options.parameters && { parameters: keyValues(options.parameters, 'body.submitOptions.parameters') }),
      ...(options.labels && { labels: keyValues(commaList(options.labels), 'body.submitOptions.labels') }),
      ...(options.annotations && { annotations: keyValues(commaList(options.annotations), 'body.submitOptions.annotations') }),
    });
    return workflow;
  });

  // Every namespace's: a token with no namespace may list them.
  app.get('/api/v1/workflows', async (request) => {
    await request.authorize(undefined, 'list');
    return listWorkflows(resources.redis, resources.workflowStore, undefined, parseListQuery(decode(listQuery, request.query, 'query')));
  });

  app.get('/api/v1/workflows/:namespace', async (request) => {
    const { namespace } = decode(namespaced, request.params, 'path');
    await request.authorize(namespace, 'list');
    const query = parseListQuery(decode(listQuery, request.query, 'query'));
    return listWorkflows(resources.redis, resources.workflowStore, namespace, query);
  });

  app.get('/api/v1/workflows/:namespace/:name', async (request) => {
    const { namespace, name } = decode(named, request.params, 'path');
    await request.authorize(namespace, 'get');
    const { fields } = decode(getQuery, request.query, 'query');
    return project(await client.getWorkflow(namespace, name), fields ? parseFields(fields) : undefined);
  });

  app.delete('/api/v1/workflows/:namespace/:name', async (request) => {
    const { namespace, name } = decode(named, request.params, 'path');
    await request.authorize(namespace, 'delete');
    await client.deleteWorkflow(namespace, name);
    return {};
  });

  /** A control: decoded, sent, and answered with the workflow as stored (Argo answers the workflow). */
  const control = <T extends { namespace?: string; name?: string }>(action: string, schema: z.ZodType<T>, send: (namespace: string, name: string, body: T) => Promise<unknown>) =>
    app.put(`/api/v1/workflows/:namespace/:name/${action}`, async (request) => {
      const { namespace, name } = decode(named, request.params, 'path');
      await request.authorize(namespace, 'update');
      const body: T = decode(schema, request.body ?? {}, 'body');
      checkSamePlace(body, namespace, name);
      const result = await send(namespace, name, body);
      return result ?? client.getWorkflow(namespace, name);
    });

  control('suspend', controlBodies.suspend, (namespace, name) => client.suspendWorkflow(namespace, name));
  control('terminate', controlBodies.terminate, (namespace, name) => client.terminateWorkflow(namespace, name));
  control('resume', controlBodies.resume, (namespace, name, body) => client.resumeWorkflow(namespace, name, { nodeFieldSelector: body.nodeFieldSelector || undefined }));
  control('stop', controlBodies.stop, (namespace, name, body) => client.stopWorkflow(namespace, name, { nodeFieldSelector: body.nodeFieldSelector || undefined, message: body.message || undefined }));
  control('retry', controlBodies.retry, (namespace, name) => client.retryWorkflow(namespace, name));
  control('set', controlBodies.set, (namespace, name, body) =>
    client.setWorkflow(namespace, name, {
      nodeFieldSelector: body.nodeFieldSelector,
      ...(body.phase && { phase: body.phase }),
      ...(body.message && { message: body.message }),
      ...(body.outputParameters && { outputParameters: outputParameters(body.outputParameters) }),
    }),
  );
  control('resubmit', controlBodies.resubmit, (namespace, name, body) => client.resubmitWorkflow(namespace, name, { memoized: body.memoized === true }));
}

// Argo Server's ArchivedWorkflowService (pkg/apiclient/workflowarchive): list, get, delete, retry and
// resubmit archived workflows, and their label keys and values, over the WorkflowArchive (PostgreSQL).
// A workflow is found by uid; its own namespace is what the caller must be allowed in.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ArchiveListOptions, NameMatch, WorkflowArchive } from '@regatta/archive';
import { resubmitArchived, retryArchived } from '@regatta/client';
import { parseLabelSelector, type Workflow } from '@regatta/spec';
import type { Verb } from '../auth/roles.js';
import { badRequest, HttpError, notFound } from '../http-error.js';
import { decode } from '../request.js';
import type { ServerResources } from '../resources.js';

const byUid = z.strictObject({ uid: z.string().min(1) });
const namespaceQuery = z.strictObject({ namespace: z.string().optional() });

const listQuery = z.strictObject({
  namespace: z.string().optional(),
  namePrefix: z.string().optional(),
  name: z.string().optional(),
  nameFilter: z.enum(['Exact', 'Prefix', 'Contains']).optional(),
  'listOptions.labelSelector': z.string().optional(),
  'listOptions.fieldSelector': z.string().optional(),
  'listOptions.limit': z.coerce.number().int().nonnegative().optional(),
  'listOptions.continue': z.string().optional(),
});
const labelValuesQuery = z.strictObject({ namespace: z.string().optional(), 'listOptions.labelSelector': z.string().min(1) });

// The bodies repeat the path's uid (grpc-gateway's `body: "*"`).
const retryBody = z.strictObject({
  uid: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  restartSuccessful: z.literal(false).optional(),
  nodeFieldSelector: z.literal('').optional(),
});
const resubmitBody = z.strictObject({ uid: z.string().optional(), namespace: z.string().optional(), name: z.string().optional(), memoized: z.boolean().optional() });

/** 501 while no ARCHIVE_DATABASE_URL was given to the server. */
function archiveOf(resources: ServerResources): WorkflowArchive {
  if (!resources.archive) throw new HttpError(501, 12, 'the workflow archive is not enabled: start the server with ARCHIVE_DATABASE_URL');
  return resources.archive;
}

/** Argo's fieldSelector for archived lists: `metadata.namespace=<ns>` (what `argo archive list` sends). */
function namespaceOfFieldSelector(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const match = /^metadata\.namespace==?([^,=]*)$/.exec(text.trim());
  if (!match) throw badRequest(`query.listOptions.fieldSelector: "${text}" is not supported; only metadata.namespace=<namespace>`);
  return match[1] || undefined;
}

/** The namespace a list is for (undefined: every namespace), from `namespace` or the fieldSelector. */
function listNamespace(query: z.output<typeof listQuery>): string | undefined {
  const fromField = namespaceOfFieldSelector(query['listOptions.fieldSelector']);
  if (query.namespace && fromField && query.namespace !== fromField) {
    throw badRequest(`query.namespace "${query.namespace}" and listOptions.fieldSelector's "${fromField}" differ`);
  }
  return query.namespace || fromField;
}

function listOptions(query: z.output<typeof listQuery>, namespace: string | undefined): ArchiveListOptions {
  if (query.nameFilter && query.name === undefined) throw badRequest('query.nameFilter: needs query.name');
  const limit = query['listOptions.limit'];
  return {
    namespace,
    labelSelector: parseLabelSelector(query['listOptions.labelSelector'] ?? '', 'query.listOptions.labelSelector'),
    ...(query.namePrefix && { namePrefix: query.namePrefix }),
    ...(query.name && { name: { value: query.name, match: (query.nameFilter ?? 'Exact') as NameMatch } }),
    // Argo's 0 means "no limit"; a page is at most the archive's maximum.
    ...(limit !== undefined && limit > 0 && { limit }),
    ...(query['listOptions.continue'] && { continue: query['listOptions.continue'] }),
  };
}

/**
 * The archived workflow of the path's uid, once the caller may `verb` in its namespace; an unknown uid is
 * a 404 for a caller allowed in the namespace asked for (`?namespace=`, or cluster-wide without one).
 */
async function authorizedWorkflow(request: FastifyRequest, archive: WorkflowArchive, verb: Verb): Promise<Workflow> {
  const { uid } = decode(byUid, request.params, 'path');
  const { namespace } = decode(namespaceQuery, request.query, 'query');
  const workflow = await archive.get(uid);
  await request.authorize(workflow?.metadata.namespace ?? (namespace || undefined), verb);
  if (!workflow) throw notFound(`archived workflow "${uid}" not found`);
  if (namespace && namespace !== workflow.metadata.namespace) throw notFound(`archived workflow "${uid}" not found in namespace "${namespace}"`);
  return workflow;
}

function checkSameUid(body: { uid?: string }, workflow: Workflow): void {
  if (body.uid && body.uid !== workflow.metadata.uid) throw badRequest(`body.uid: "${body.uid}" does not match the path's "${workflow.metadata.uid}"`);
}

export async function archivedWorkflowRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  app.get('/api/v1/archived-workflows', async (request) => {
    const query = decode(listQuery, request.query, 'query');
    const namespace = listNamespace(query);
    await request.authorize(namespace, 'list');
    const page = await archiveOf(resources).list(listOptions(query, namespace));
    return { metadata: page.continue ? { continue: page.continue } : {}, items: page.items };
  });

  app.get('/api/v1/archived-workflows/:uid', async (request) => authorizedWorkflow(request, archiveOf(resources), 'get'));

  app.delete('/api/v1/archived-workflows/:uid', async (request) => {
    const archive = archiveOf(resources);
    const workflow = await authorizedWorkflow(request, archive, 'delete');
    await archive.delete(workflow.metadata.uid!);
    return {};
  });

  app.put('/api/v1/archived-workflows/:uid/retry', async (request) => {
    const workflow = await authorizedWorkflow(request, archiveOf(resources), 'create');
    checkSameUid(decode(retryBody, request.body ?? {}, 'body'), workflow);
    return retryArchived(resources.client, workflow);
  });

  app.put('/api/v1/archived-workflows/:uid/resubmit', async (request) => {
    const workflow = await authorizedWorkflow(request, archiveOf(resources), 'create');
    const body = decode(resubmitBody, request.body ?? {}, 'body');
    checkSameUid(body, workflow);
    return resubmitArchived(resources.client, workflow, { memoized: body.memoized === true });
  });

  app.get('/api/v1/archived-workflows-label-keys', async (request) => {
    const { namespace } = decode(namespaceQuery, request.query, 'query');
    await request.authorize(namespace || undefined, 'list');
    return { items: await archiveOf(resources).labelKeys(namespace || undefined) };
  });

  app.get('/api/v1/archived-workflows-label-values', async (request) => {
    const query = decode(labelValuesQuery, request.query, 'query');
    await request.authorize(query.namespace || undefined, 'list');
    const [requirement] = parseLabelSelector(query['listOptions.labelSelector'], 'query.listOptions.labelSelector');
    if (!requirement) throw badRequest('query.listOptions.labelSelector: names no label key');
    return { items: await archiveOf(resources).labelValues(requirement.key, query.namespace || undefined) };
  });
}

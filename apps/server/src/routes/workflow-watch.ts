// Argo's workflow watch, `GET /api/v1/workflow-events/{namespace}`, as a stream of
// `{"type": "ADDED"|"MODIFIED"|"DELETED", "object": <Workflow>}` results: one workflow
// (`listOptions.fieldSelector=metadata.name=x`) or every workflow of the namespace (optionally
// selected by labels). Each workflow is sent whole once (ADDED); each later MODIFIED result carries
// the workflow with only the nodes that changed in `status.nodes` (merge them by id) and its `spec`
// only when that changed, unless it says `"replace": true` (after removed nodes or a lost notice),
// when it is whole. See docs/server.md.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WorkflowUpdate } from '@regatta/client';
import { notFound } from '../http-error.js';
import { decode, namespaceParam } from '../request.js';
import type { ServerResources } from '../resources.js';
import type { Streaming } from '../streaming.js';
import { matchesQuery, parseListQuery } from '../workflow-list.js';

const watchQuery = z.looseObject({
  'listOptions.fieldSelector': z.string().optional(),
  'listOptions.labelSelector': z.string().optional(),
});

/** The result JSON of an update, made once and shared by every stream that sends it. */
const deltaJson = new WeakMap<WorkflowUpdate, string>();

/** The ADDED result of a workflow as now known, made once however many watchers join (a 10,000-node workflow is megabytes of JSON). */
const addedJson = new WeakMap<WorkflowUpdate['stored'], string>();

function wholeJson(stored: WorkflowUpdate['stored']): string {
  let json = addedJson.get(stored);
  if (json === undefined) addedJson.set(stored, (json = JSON.stringify({ type: 'ADDED', object: stored.workflow })));
  return json;
}

function modifiedJson(update: WorkflowUpdate): string {
  let json = deltaJson.get(update);
  if (json === undefined) {
    const { spec, status, ...rest } = update.stored.workflow;
    const nodes = Object.fromEntries((update.changedNodes ?? []).flatMap((id) => (status.nodes[id] ? [[id, status.nodes[id]]] : [])));
    json = JSON.stringify({ type: 'MODIFIED', object: { ...rest, ...(update.specChanged && { spec }), status: { ...status, nodes } } });
    deltaJson.set(update, json);
  }
  return json;
}

export async function workflowWatchRoutes(app: FastifyInstance, resources: ServerResources, streaming: Streaming): Promise<void> {
  app.get('/api/v1/workflow-events/:namespace', async (request, reply) => {
    const { namespace } = decode(z.strictObject({ namespace: namespaceParam }), request.params, 'path');
    await request.authorize(namespace, 'watch');
    const query = parseListQuery(decode(watchQuery, request.query, 'query'));
    const byName = query.fields.find((field) => field.path === 'metadata.name' && field.equal);
    let single: string | undefined;
    if (byName) {
      single = await resources.workflowStore.uidOf(namespace, byName.value);
      if (!single) throw notFound(`workflow "${byName.value}" not found in namespace "${namespace}"`);
    }

    const stream = streaming.open(request, reply);
    const stops: (() => void)[] = [];
    stream.signal.addEventListener('abort', () => stops.forEach((stop) => stop()));
    const watched = new Set<string>();

    const follow = async (uid: string) => {
      if (watched.has(uid) || stream.closed) return;
      watched.add(uid);
      let sent: WorkflowUpdate['stored'] | undefined;
      const stop = await streaming.hub.watch(uid, (update) => {
        if (!update) {
          if (sent) stream.send({ type: 'DELETED', object: { apiVersion: sent.workflow.apiVersion, kind: sent.workflow.kind, metadata: sent.workflow.metadata } });
          if (single) stream.end();
          return;
        }
        if (!matchesQuery(update.stored.workflow, query)) return;
        if (!sent) stream.sendJson(wholeJson(update.stored));
        else if (update.changedNodes) stream.sendJson(modifiedJson(update));
        else stream.send({ type: 'MODIFIED', object: update.stored.workflow, replace: true });
        sent = update.stored;
      });
      if (stream.closed) stop();
      else stops.push(stop);
    };

    try {
      if (single) return await follow(single);
      // Workflows that change from now on, then those there already: none is missed in between.
      stops.push(await streaming.hub.watchNamespace(namespace, (uid) => void follow(uid).catch(() => stream.end())));
      for (const uid of await resources.redis.hvals(resources.keys.names(namespace))) await follow(uid);
    } catch (error) {
      // The answer has begun: the stream ends, and the log says why.
      request.log.warn({ err: error }, 'workflow watch failed');
      stream.end();
    }
  });
}

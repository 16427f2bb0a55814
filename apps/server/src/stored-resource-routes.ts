// Argo Server's services for stored resources (WorkflowTemplateService, ClusterWorkflowTemplateService,
// CronWorkflowService) share one shape: create, list (listOptions.labelSelector), get, update (PUT, the
// whole resource), delete and lint, with the resource in a body field named for the kind. This module
// registers that shape for one kind; each routes file gives its paths, its checks and what a kind does
// besides (a CronWorkflow shown with its status, deleted with its workflows).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { matchesLabelSelector, parseLabelSelector, type ObjectMeta } from '@regatta/spec';
import type { ResourceOf } from '@regatta/store';
import { badRequest, notFound } from './http-error.js';
import { decode } from './request.js';
import type { ServerResources } from './resources.js';

type StoredKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

export interface StoredResourceRoutes<K extends StoredKind> {
  kind: K;
  /** `/api/v1/workflow-templates`: namespaced kinds add `/:namespace`. */
  base: string;
  namespaced: boolean;
  /** The body field that holds the resource: `template`, `cronWorkflow`. */
  field: string;
  /** The resource from a body, checked as the CLI checks it; throws SpecError (400) naming `where`. */
  check(value: Record<string, unknown>, where: string, namespace: string): Promise<ResourceOf[K]>;
  /** The resource as answered (a CronWorkflow with its status); as stored by default. */
  show?(resource: ResourceOf[K]): Promise<ResourceOf[K]>;
  /** Deletes it and what it owns; the store's delete by default. */
  remove?(namespace: string, name: string): Promise<void>;
}

const listQuery = z.looseObject({ 'listOptions.labelSelector': z.string().optional() });

/** The items whose labels match `listOptions.labelSelector` (all without one); a bad selector is a 400 naming it. */
export function selectByLabels<R extends { metadata: ObjectMeta }>(items: R[], query: unknown): R[] {
  const text = decode(listQuery, query, 'query')['listOptions.labelSelector'];
  if (!text) return items;
  const requirements = parseLabelSelector(text, 'listOptions.labelSelector');
  return items.filter((item) => matchesLabelSelector(requirements, item.metadata.labels));
}

export function registerStoredResourceRoutes<K extends StoredKind>(app: FastifyInstance, resources: ServerResources, routes: StoredResourceRoutes<K>): void {
  const { kind, field, namespaced } = routes;
  const store = resources.resourceStore;
  const show = routes.show ?? (async (resource: ResourceOf[K]) => resource);
  const collection = namespaced ? `${routes.base}/:namespace` : routes.base;
  const params = namespaced ? z.strictObject({ namespace: z.string().min(1) }) : z.strictObject({});
  const namedParams = namespaced ? z.strictObject({ namespace: z.string().min(1), name: z.string().min(1) }) : z.strictObject({ name: z.string().min(1) });
  const createBody = z.strictObject({ namespace: z.string().optional(), [field]: z.record(z.string(), z.unknown()), createOptions: z.looseObject({}).optional() });
  const updateBody = z.strictObject({ namespace: z.string().optional(), name: z.string().optional(), [field]: z.record(z.string(), z.unknown()) });
  /** The path's namespace ('' for the cluster-scoped kind, which the store ignores). */
  const namespaceOf = (value: unknown): string => (namespaced ? (value as { namespace: string }).namespace : '');
  const scope = (namespace: string) => (namespaced ? namespace : undefined);
  /** Worded as the client words a missing workflow. */
  const missing = (name: string, namespace: string) => notFound(namespaced ? `${kind} "${name}" not found in namespace "${namespace}"` : `${kind} "${name}" not found`);

  /** The body's resource, in the path's namespace: one naming another namespace is refused, not moved. */
  const fromBody = (body: Record<string, unknown>, namespace: string, where: string): Promise<ResourceOf[K]> => {
    const value = body[field] as Record<string, unknown>;
    if (namespaced) {
      for (const [given, place] of [
        [body.namespace, 'body.namespace'],
        [(value.metadata as { namespace?: unknown } | undefined)?.namespace, `${where}.metadata.namespace`],
      ] as const) {
        if (given !== undefined && given !== '' && given !== namespace) throw badRequest(`${place}: "${String(given)}" does not match the namespace of the path, "${namespace}"`);
      }
      if (value.metadata && typeof value.metadata === 'object') (value.metadata as { namespace?: string }).namespace = namespace;
    } else if (value.metadata && typeof value.metadata === 'object') delete (value.metadata as { namespace?: string }).namespace;
    return routes.check(value, where, namespace);
  };

  app.post(collection, async (request) => {
    const namespace = namespaceOf(decode(params, request.params, 'path'));
    await request.authorize(scope(namespace), 'create');
    const body = decode(createBody, request.body, 'body');
    const resource = await fromBody(body, namespace, `body.${field}`);
    const [created] = await store.create(kind, [resource]);
    return show(created!);
  });

  app.post(`${collection}/lint`, async (request) => {
    const namespace = namespaceOf(decode(params, request.params, 'path'));
    await request.authorize(scope(namespace), 'create');
    return fromBody(decode(createBody, request.body, 'body'), namespace, `body.${field}`);
  });

  app.get(collection, async (request) => {
    const namespace = namespaceOf(decode(params, request.params, 'path'));
    await request.authorize(scope(namespace), 'list');
    const items = selectByLabels(await store.list(kind, namespace), request.query);
    return { metadata: {}, items: await Promise.all(items.map(show)) };
  });

  app.get(`${collection}/:name`, async (request) => {
    const path = decode(namedParams, request.params, 'path');
    const namespace = namespaceOf(path);
    await request.authorize(scope(namespace), 'get');
    const found = await store.get(kind, namespace, path.name);
    if (!found) throw missing(path.name, namespace);
    return show(found);
  });

  app.put(`${collection}/:name`, async (request) => {
    const path = decode(namedParams, request.params, 'path');
    const namespace = namespaceOf(path);
    await request.authorize(scope(namespace), 'update');
    const body = decode(updateBody, request.body, 'body');
    const resource = await fromBody(body, namespace, `body.${field}`);
    for (const [given, place] of [
      [body.name, 'body.name'],
      [resource.metadata.name, `body.${field}.metadata.name`],
    ] as const) {
      if (given !== undefined && given !== path.name) throw badRequest(`${place}: "${given}" does not match the name of the path, "${path.name}"`);
    }
    const replaced = await store.replace(kind, resource);
    if (!replaced) throw missing(path.name, namespace);
    return show(replaced);
  });

  app.delete(`${collection}/:name`, async (request) => {
    const path = decode(namedParams, request.params, 'path');
    const namespace = namespaceOf(path);
    await request.authorize(scope(namespace), 'delete');
    if (routes.remove) await routes.remove(namespace, path.name);
    else if (!(await store.delete(kind, namespace, path.name))) throw missing(path.name, namespace);
    return {};
  });
}

// Argo's workflow list: `listOptions.labelSelector`, `listOptions.fieldSelector` (metadata.name,
// metadata.namespace, metadata.uid, status.phase; `=`, `==`, `!=`), `listOptions.limit` and
// `listOptions.continue`, newest first. Records are read without their nodes to select and page;
// only the page's items have their nodes read, and only when the answer shows them (`fields`).
import { matchesLabelSelector, parseLabelSelector, type LabelRequirement, type Workflow } from '@regatta/spec';
import type { Redis } from 'ioredis';
import type { WorkflowStore } from '@regatta/store';
import { badRequest } from './http-error.js';
import { parseFields, project, shows, type FieldProjection } from './fields.js';

interface FieldRequirement {
  path: FieldPath;
  equal: boolean;
  value: string;
}

const FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'status.phase'] as const;
type FieldPath = (typeof FIELD_PATHS)[number];

export function parseFieldSelector(text: string, where: string): FieldRequirement[] {
  return text
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const match = /^\s*([\w.]+)\s*(==|=|!=)\s*(\S*)\s*$/.exec(part);
      if (!match) throw badRequest(`${where}: "${part}" is not <field>=<value> or <field>!=<value>`);
      const [, path, operator, value] = match as unknown as [string, string, string, string];
      if (!(FIELD_PATHS as readonly string[]).includes(path)) throw badRequest(`${where}: field "${path}" cannot be selected on; use one of ${FIELD_PATHS.join(', ')}`);
      return { path: path as FieldPath, equal: operator !== '!=', value };
    });
}

function fieldOf(workflow: Workflow, path: FieldPath): string {
  switch (path) {
    case 'metadata.name':
      return workflow.metadata.name ?? '';
    case 'metadata.namespace':
      return workflow.metadata.namespace ?? '';
    case 'metadata.uid':
      return workflow.metadata.uid ?? '';
    case 'status.phase':
      return workflow.status?.phase ?? '';
  }
}

export interface ListQuery {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  limit?: number;
  continue?: string;
  projection?: FieldProjection;
}

export interface ListQueryText {
  'listOptions.labelSelector'?: string;
  'listOptions.fieldSelector'?: string;
  'listOptions.limit'?: number;
  'listOptions.continue'?: string;
  fields?: string;
}

export function parseListQuery(query: ListQueryText, where = 'query'): ListQuery {
  const labels = query['listOptions.labelSelector'];
  const fields = query['listOptions.fieldSelector'];
  return {
    labels: labels ? parseLabelSelector(labels, `${where}.listOptions.labelSelector`) : [],
    fields: fields ? parseFieldSelector(fields, `${where}.listOptions.fieldSelector`) : [],
    ...(query['listOptions.limit'] && { limit: query['listOptions.limit'] }),
    ...(query['listOptions.continue'] && { continue: query['listOptions.continue'] }),
    ...(query.fields && { projection: parseFields(query.fields) }),
  };
}

export function matchesQuery(workflow: Workflow, query: Pick<ListQuery, 'labels' | 'fields'>): boolean {
  return (
    matchesLabelSelector(query.labels, workflow.metadata.labels) &&
    query.fields.every((requirement) => (fieldOf(workflow, requirement.path) === requirement.value) === requirement.equal)
  );
}

/** Where a page ends: the last item's creation time and name, newest first. */
type Cursor = [string, string];

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown;
    if (Array.isArray(cursor) && cursor.length === 2 && cursor.every((part) => typeof part === 'string')) return cursor as Cursor;
  } catch {
    // answered below
  }
  throw badRequest('query.listOptions.continue: not a continue token this server gave');
}

const newestFirst = (a: Cursor, b: Cursor) => b[0].localeCompare(a[0]) || a[1].localeCompare(b[1]);
const cursorOf = (workflow: Workflow): Cursor => [workflow.metadata.creationTimestamp ?? '', workflow.metadata.name ?? ''];

export interface WorkflowList {
  metadata: { continue?: string; resourceVersion?: string };
  items: unknown[];
}

/** The namespace's workflows; with none, every namespace's (Argo's list with an empty namespace). */
export async function listWorkflows(redis: Redis, store: WorkflowStore, namespace: string | undefined, query: ListQuery): Promise<WorkflowList> {
  const namespaces = namespace === undefined ? await store.namespaces() : [namespace];
  const uids = (await Promise.all(namespaces.map((ns) => redis.hvals(store.keys.names(ns))))).flat();
  const heads = (await Promise.all(uids.map((uid) => store.loadWithNodes(uid, [])))).flatMap((stored) => (stored ? [stored.workflow] : []));
  const after = query.continue === undefined ? undefined : decodeCursor(query.continue);
  const selected = heads
    .filter((workflow) => matchesQuery(workflow, query) && (after === undefined || newestFirst(after, cursorOf(workflow)) < 0))
    .sort((a, b) => newestFirst(cursorOf(a), cursorOf(b)));
  const page = query.limit === undefined ? selected : selected.slice(0, query.limit);
  const more = page.length < selected.length;
  const withNodes = shows(query.projection, 'items.status.nodes');
  const items = await Promise.all(page.map(async (head) => (withNodes ? ((await store.load(head.metadata.uid!))?.workflow ?? head) : head)));
  return project({ metadata: { ...(more && { continue: encodeCursor(cursorOf(page.at(-1)!)) }) }, items }, query.projection);
}

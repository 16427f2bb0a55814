// Argo's workflow list: `listOptions.labelSelector`, `listOptions.fieldSelector` (metadata.name,
// metadata.namespace, metadata.uid, status.phase; `=`, `==`, `!=`), `nameFilter` (how a selected
// metadata.name matches: Exact, Prefix or Contains), `createdAfter`, `finishedBefore`,
// `listOptions.limit` and `listOptions.continue`, newest first. Records are read without their nodes to select and page;
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

/** How a fieldSelector's `metadata.name` matches (Argo's nameFilter; Exact unless given). */
const NAME_FILTERS = ['Exact', 'Prefix', 'Contains'] as const;
type NameFilter = (typeof NAME_FILTERS)[number];

function nameMatches(name: string, wanted: string, filter: NameFilter): boolean {
  if (filter === 'Prefix') return name.startsWith(wanted);
  if (filter === 'Contains') return name.includes(wanted);
  return name === wanted;
}

/** An RFC 3339 time of the query, as milliseconds; anything else is the caller's 400. */
function queryTime(text: string | undefined, where: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw badRequest(`${where}: "${text}" is not a time (RFC 3339, e.g. 2026-01-02T15:04:05Z)`);
  return time;
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
  nameFilter: NameFilter;
  createdAfter?: number;
  finishedBefore?: number;
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
  nameFilter?: string;
  createdAfter?: string;
  finishedBefore?: string;
}

export function parseListQuery(query: ListQueryText, where = 'query'): ListQuery {
  const labels = query['listOptions.labelSelector'];
  const fields = query['listOptions.fieldSelector'];
  const nameFilter = query.nameFilter || 'Exact';
  if (!(NAME_FILTERS as readonly string[]).includes(nameFilter)) throw badRequest(`${where}.nameFilter: "${nameFilter}" is not one of ${NAME_FILTERS.join(', ')}`);
  const createdAfter = queryTime(query.createdAfter, `${where}.createdAfter`);
  const finishedBefore = queryTime(query.finishedBefore, `${where}.finishedBefore`);
  return {
    nameFilter: nameFilter as NameFilter,
    ...(createdAfter !== undefined && { createdAfter }),
    ...(finishedBefore !== undefined && { finishedBefore }),
    labels: labels ? parseLabelSelector(labels, `${where}.listOptions.labelSelector`) : [],
    fields: fields ? parseFieldSelector(fields, `${where}.listOptions.fieldSelector`) : [],
    ...(query['listOptions.limit'] && { limit: query['listOptions.limit'] }),
    ...(query['listOptions.continue'] && { continue: query['listOptions.continue'] }),
    ...(query.fields && { projection: parseFields(query.fields) }),
  };
}

export function matchesQuery(workflow: Workflow, query: Omit<ListQuery, 'limit' | 'continue' | 'projection'>): boolean {
  const finishedAt = workflow.status?.finishedAt;
  return (
    matchesLabelSelector(query.labels, workflow.metadata.labels) &&
    query.fields.every((requirement) => fieldMatches(workflow, requirement, query.nameFilter) === requirement.equal) &&
    (query.createdAfter === undefined || Date.parse(workflow.metadata.creationTimestamp ?? '') >= query.createdAfter) &&
    (query.finishedBefore === undefined || (finishedAt !== undefined && Date.parse(finishedAt) < query.finishedBefore))
  );
}

function fieldMatches(workflow: Workflow, { path, value }: FieldRequirement, nameFilter: NameFilter): boolean {
  const actual = fieldOf(workflow, path);
  return path === 'metadata.name' ? nameMatches(actual, value, nameFilter) : actual === value;
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

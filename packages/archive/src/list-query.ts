// The SQL of one archive list page: filters (namespace, name prefix, label selector) and the keyset
// condition, as a WHERE clause with its parameters. Kept apart from the class so the translation of a
// selector to SQL is one small, readable thing.
import { SpecError, type LabelRequirement } from '@regatta/spec';

/** Where a page starts: after the row with this (started_at, uid), newest first. */
export interface PagePosition {
  startedAt: string;
  uid: string;
}

export interface ListFilter {
  /** Every namespace when undefined or ''. */
  namespace?: string;
  labelSelector?: readonly LabelRequirement[];
  namePrefix?: string;
  /** Argo's nameFilter: the name equals, starts with or contains `name`. */
  name?: { value: string; match: NameMatch };
  after?: PagePosition;
}

export type NameMatch = 'Exact' | 'Prefix' | 'Contains';

export function whereClause(filter: ListFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  if (filter.namespace) conditions.push(`namespace = ${param(filter.namespace)}`);
  if (filter.namePrefix) conditions.push(`name LIKE ${param(`${escapeLike(filter.namePrefix)}%`)}`);
  if (filter.name?.match === 'Exact') conditions.push(`name = ${param(filter.name.value)}`);
  if (filter.name?.match === 'Prefix') conditions.push(`name LIKE ${param(`${escapeLike(filter.name.value)}%`)}`);
  if (filter.name?.match === 'Contains') conditions.push(`name LIKE ${param(`%${escapeLike(filter.name.value)}%`)}`);
  for (const requirement of filter.labelSelector ?? []) conditions.push(labelCondition(requirement, param));
  if (filter.after) conditions.push(`(started_at, uid) < (${param(filter.after.startedAt)}::timestamptz, ${param(filter.after.uid)})`);
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

/** Kubernetes semantics: NotIn also holds where the key is missing. `@>` and `?` use the GIN index. */
function labelCondition(requirement: LabelRequirement, param: (value: unknown) => string): string {
  const key = param(requirement.key);
  switch (requirement.operator) {
    case 'Exists':
      return `labels ? ${key}`;
    case 'DoesNotExist':
      return `NOT labels ? ${key}`;
    case 'In':
      return `(${requirement.values.map((value) => `labels @> jsonb_build_object(${key}::text, ${param(value)}::text)`).join(' OR ')})`;
    case 'NotIn':
      return `(labels ->> ${key} IS NULL OR labels ->> ${key} <> ALL(${param(requirement.values)}::text[]))`;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The opaque `continue` token of a page that ends at `position`. */
export function continueToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.startedAt, position.uid])).toString('base64url');
}

/** The position a `continue` token stands for; a token this archive did not make throws a SpecError. */
export function parseContinue(token: string, where = 'listOptions.continue'): PagePosition {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string' && !Number.isNaN(Date.parse(decoded[0]))) {
      return { startedAt: decoded[0], uid: decoded[1] };
    }
  } catch {
    // Not base64 JSON: reported below with the rest.
  }
  throw new SpecError([{ code: 'SCHEMA', file: where, path: '', message: `"${token.slice(0, 80)}" is not a continue token of this list` }]);
}

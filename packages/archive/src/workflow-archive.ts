// The workflow archive on PostgreSQL: finished workflows kept after Redis lets them go, listed newest
// first with label selectors, a name prefix and keyset pagination, and their node logs when asked.
import { argoTime, SpecError, type LabelRequirement, type Workflow, type WorkflowStatus } from '@regatta/spec';
import pg from 'pg';
import { migrate } from './migrate.js';
import { continueToken, parseContinue, whereClause, type NameMatch } from './list-query.js';

export interface ArchiveOptions {
  /** postgres://… (ARCHIVE_DATABASE_URL). */
  url: string;
  /** A schema of its own (created when missing), e.g. per test run; the connection's default otherwise. */
  schema?: string;
  /** Connections at most (default 5). */
  maxConnections?: number;
}

export interface ArchiveListOptions {
  /** Every namespace when undefined or ''. */
  namespace?: string;
  labelSelector?: readonly LabelRequirement[];
  namePrefix?: string;
  /** Argo's nameFilter: the name equals, starts with or contains `value`. */
  name?: { value: string; match: NameMatch };
  /** Rows per page (default 500, as many as asked up to 10,000). */
  limit?: number;
  /** The token of the previous page. */
  continue?: string;
}

/** A listed workflow: metadata and status without nodes, and of the spec only its priority (Argo's list leaves the rest out too). */
export type ArchivedWorkflowSummary = Pick<Workflow, 'apiVersion' | 'kind'> & {
  metadata: { name: string; namespace: string; uid: string; labels: Record<string, string> };
  spec: { priority?: number };
  status: Pick<WorkflowStatus, 'phase' | 'startedAt' | 'finishedAt' | 'message'>;
};

export interface ArchivePage {
  items: ArchivedWorkflowSummary[];
  /** Present when more rows may follow. */
  continue?: string;
}

export interface ArchivedLogLine {
  nodeId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 10_000;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface SummaryRow {
  uid: string;
  namespace: string;
  name: string;
  phase: string;
  started_at: Date;
  finished_at: Date;
  labels: Record<string, string>;
  message: string | null;
  priority: number | null;
}

export class WorkflowArchive {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and brings the schema up to date (see migrate.ts). */
  static async open(options: ArchiveOptions): Promise<WorkflowArchive> {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new Error(`archive schema "${options.schema}" is not a plain lower-case SQL name`);
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 5,
      ...(options.schema !== undefined && { options: `-c search_path=${options.schema}` }),
    });
    // An idle connection that breaks (a server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      if (options.schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new WorkflowArchive(pool);
  }

  /** Stores a finished workflow, replacing the row of the same uid (archiving twice is harmless). */
  async archive(workflow: Workflow): Promise<void> {
    const { metadata, status } = workflow;
    if (!metadata.uid || !metadata.name) throw new Error('an archived workflow needs metadata.uid and metadata.name');
    const finishedAt = status?.finishedAt ?? new Date().toISOString();
    const startedAt = status?.startedAt ?? metadata.creationTimestamp ?? finishedAt;
    await this.pool.query(
      `INSERT INTO archived_workflows (uid, namespace, name, phase, started_at, finished_at, labels, message, priority, workflow)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (uid) DO UPDATE SET namespace = excluded.namespace, name = excluded.name, phase = excluded.phase,
         started_at = excluded.started_at, finished_at = excluded.finished_at, labels = excluded.labels,
         message = excluded.message, priority = excluded.priority, workflow = excluded.workflow, archived_at = now()`,
      [
        metadata.uid, metadata.namespace ?? 'default', metadata.name, status?.phase ?? '', startedAt, finishedAt,
        JSON.stringify(metadata.labels ?? {}), withoutNul(status?.message) ?? null, priorityOf(workflow), jsonWithoutNul(workflow),
      ],
    );
  }

  /** One page, newest first (by startedAt, then uid). Bad limit or continue token: a SpecError naming it. */
  async list(options: ArchiveListOptions = {}): Promise<ArchivePage> {
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new SpecError([{ code: 'SCHEMA', file: 'listOptions.limit', path: '', message: `limit must be a whole number from 1 to ${MAX_LIMIT}, not ${limit}` }]);
    }
    const after = options.continue ? parseContinue(options.continue) : undefined;
    const { sql, params } = whereClause({ ...options, ...(after && { after }) });
    const { rows } = await this.pool.query<SummaryRow>(
      `SELECT uid, namespace, name, phase, started_at, finished_at, labels, message, priority
       FROM archived_workflows ${sql} ORDER BY started_at DESC, uid DESC LIMIT ${limit + 1}`,
      params,
    );
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page.at(-1);
    return {
      items: page.map(summaryOf),
      ...(more && last && { continue: continueToken({ startedAt: last.started_at.toISOString(), uid: last.uid }) }),
    };
  }

  /** The archived workflow as it ended, nodes included; undefined when the uid is not archived. */
  async get(uid: string): Promise<Workflow | undefined> {
    const { rows } = await this.pool.query<{ workflow: Workflow }>('SELECT workflow FROM archived_workflows WHERE uid = $1', [uid]);
    return rows[0]?.workflow;
  }

  /** Removes the workflow and its logs; false when it was not archived. */
  async delete(uid: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM archived_workflows WHERE uid = $1', [uid]);
    return (rowCount ?? 0) > 0;
  }

  /** archiveTTL: removes workflows that finished before `cutoff`; returns how many. */
  async deleteFinishedBefore(cutoff: Date): Promise<number> {
    const { rowCount } = await this.pool.query('DELETE FROM archived_workflows WHERE finished_at < $1', [cutoff.toISOString()]);
    return rowCount ?? 0;
  }

  /** Every label key of archived workflows (of one namespace when given), sorted. */
  async labelKeys(namespace?: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ key: string }>(
      `SELECT DISTINCT jsonb_object_keys(labels) AS key FROM archived_workflows ${namespace ? 'WHERE namespace = $1' : ''} ORDER BY key`,
      namespace ? [namespace] : [],
    );
    return rows.map((row) => row.key);
  }

  /** Every value the label `key` has on archived workflows (of one namespace when given), sorted. */
  async labelValues(key: string, namespace?: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ value: string }>(
      `SELECT DISTINCT labels ->> $1 AS value FROM archived_workflows WHERE labels ? $1 ${namespace ? 'AND namespace = $2' : ''} ORDER BY value`,
      namespace ? [key, namespace] : [key],
    );
    return rows.map((row) => row.value);
  }

  /** Argo's archiveLogs: keeps these lines as the workflow's logs (replacing any kept before); it must be archived. */
  async archiveLogs(uid: string, lines: readonly ArchivedLogLine[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM archived_workflow_logs WHERE uid = $1', [uid]);
      // One statement for all lines: arrays unnested server-side, not one INSERT per line.
      await client.query(
        `INSERT INTO archived_workflow_logs (uid, seq, node_id, stream, line)
         SELECT $1, seq, node_id, stream, line FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS t(seq, node_id, stream, line)`,
        [uid, lines.map((_, i) => i), lines.map((l) => l.nodeId), lines.map((l) => l.stream), lines.map((l) => withoutNul(l.line))],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** The archived log lines of a workflow (of one node when given), in order. */
  async logs(uid: string, nodeId?: string): Promise<ArchivedLogLine[]> {
    const { rows } = await this.pool.query<{ node_id: string; stream: string; line: string }>(
      `SELECT node_id, stream, line FROM archived_workflow_logs WHERE uid = $1 ${nodeId === undefined ? '' : 'AND node_id = $2'} ORDER BY seq`,
      nodeId === undefined ? [uid] : [uid, nodeId],
    );
    return rows.map((row) => ({ nodeId: row.node_id, stream: row.stream === 'stderr' ? 'stderr' : 'stdout', line: row.line }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function summaryOf(row: SummaryRow): ArchivedWorkflowSummary {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: row.name, namespace: row.namespace, uid: row.uid, labels: row.labels },
    spec: row.priority === null ? {} : { priority: row.priority },
    status: {
      phase: row.phase as WorkflowStatus['phase'],
      startedAt: argoTime(row.started_at),
      finishedAt: argoTime(row.finished_at),
      ...(row.message !== null && { message: row.message }),
    },
  };
}


/** spec.priority when it is a whole number (Argo's int32), else none. */
function priorityOf(workflow: Workflow): number | null {
  const { priority } = workflow.spec;
  return typeof priority === 'number' && Number.isInteger(priority) && Math.abs(priority) < 2 ** 31 ? priority : null;
}

/** PostgreSQL's text and jsonb hold no NUL character (a node's binary output may): each becomes U+FFFD. */
function withoutNul<T extends string | undefined>(text: T): T {
  return (text?.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text) as T;
}

/** The workflow as JSON with every escaped NUL (`\u0000`, not an escaped backslash before `u0000`) as U+FFFD. */
function jsonWithoutNul(workflow: Workflow): string {
  return JSON.stringify(workflow).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

// The archive on the real PostgreSQL, in a schema of this run's own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabelSelector, SpecError, type Workflow } from '@regatta/spec';
import pg from 'pg';
import { WorkflowArchive } from './workflow-archive.js';
import { migrate } from './migrate.js';
import { ARCHIVE_DATABASE_URL, dropSchema, uniqueSchema } from '../../../test/support/postgres.js';

const schema = uniqueSchema();
let archive: WorkflowArchive;

beforeAll(async () => {
  archive = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
});

afterAll(async () => {
  await archive?.close();
  await dropSchema(schema);
});

function finished(name: string, options: { namespace?: string; labels?: Record<string, string>; startedAt: string; phase?: string }): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace: options.namespace ?? 'default', uid: randomUUID(), labels: options.labels ?? {} },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine' } }] },
    status: { phase: options.phase ?? 'Succeeded', startedAt: options.startedAt, finishedAt: options.startedAt, nodes: { n1: { id: 'n1', name, type: 'Pod', phase: 'Succeeded' } } },
  } as Workflow;
}

async function names(list: Promise<{ items: { metadata: { name: string } }[] }>): Promise<string[]> {
  return (await list).items.map((item) => item.metadata.name);
}

describe('WorkflowArchive', () => {
  it('migrates once when two processes start at once', async () => {
    const racing = uniqueSchema();
    const pools = [0, 1].map(() => new pg.Pool({ connectionString: ARCHIVE_DATABASE_URL, options: `-c search_path=${racing}` }));
    try {
      await pools[0]!.query(`CREATE SCHEMA ${racing}`);
      const applied = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(applied.flat()).toEqual(['001_archived_workflows.sql']);
      const { rows } = await pools[0]!.query('SELECT name FROM archive_migrations');
      expect(rows).toEqual([{ name: '001_archived_workflows.sql' }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await dropSchema(racing);
    }
  });

  it('keeps a workflow whole and archives it once however often it is archived', async () => {
    const workflow = finished('whole', { startedAt: '2026-01-01T00:00:00Z', labels: { team: 'a' } });
    await archive.archive(workflow);
    await archive.archive(workflow);
    expect(await archive.get(workflow.metadata.uid!)).toEqual(workflow);
    const page = await archive.list({ namePrefix: 'whole' });
    expect(page.items).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: 'whole', namespace: 'default', uid: workflow.metadata.uid, labels: { team: 'a' } },
        spec: {},
        status: { phase: 'Succeeded', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:00Z' },
      },
    ]);
    expect(await archive.delete(workflow.metadata.uid!)).toBe(true);
    expect(await archive.get(workflow.metadata.uid!)).toBeUndefined();
    expect(await archive.delete(workflow.metadata.uid!)).toBe(false);
  });

  it('lists newest first, page by page, with no row twice or missed', async () => {
    // Two rows share a start time: the uid orders them, and a page may end between them.
    const all = ['p0', 'p1', 'p2', 'p3', 'p4'].map((name, i) => finished(name, { namespace: 'paging', startedAt: `2026-02-0${Math.min(i, 3) + 1}T00:00:00Z` }));
    for (const workflow of all) await archive.archive(workflow);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await archive.list({ namespace: 'paging', limit: 2, ...(token && { continue: token }) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.metadata.name));
      token = page.continue;
    } while (token);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen.slice(0, 2).sort()).toEqual(['p3', 'p4']);
    expect(seen.slice(2)).toEqual(['p2', 'p1', 'p0']);
  });

  it('filters by namespace, name prefix and every kind of label requirement', async () => {
    const at = '2026-03-01T00:00:00Z';
    await archive.archive(finished('sel-a', { namespace: 'sel', labels: { env: 'prod', tier: 'web' }, startedAt: at }));
    await archive.archive(finished('sel-b', { namespace: 'sel', labels: { env: 'dev' }, startedAt: at }));
    await archive.archive(finished('sel-c', { namespace: 'sel', labels: {}, startedAt: at }));
    await archive.archive(finished('other', { namespace: 'sel2', labels: { env: 'prod' }, startedAt: at }));
    const select = (text: string) => names(archive.list({ namespace: 'sel', labelSelector: parseLabelSelector(text) })).then((found) => found.sort());
    expect(await select('env=prod')).toEqual(['sel-a']);
    expect(await select('env==dev')).toEqual(['sel-b']);
    expect(await select('env!=prod')).toEqual(['sel-b', 'sel-c']);
    expect(await select('env in (prod,dev)')).toEqual(['sel-a', 'sel-b']);
    expect(await select('env notin (dev)')).toEqual(['sel-a', 'sel-c']);
    expect(await select('tier')).toEqual(['sel-a']);
    expect(await select('!env')).toEqual(['sel-c']);
    expect(await select('env=prod,!tier')).toEqual([]);
    expect((await names(archive.list({ labelSelector: parseLabelSelector('env=prod') }))).sort()).toEqual(['other', 'sel-a']);
    expect(await names(archive.list({ namePrefix: 'sel-' , namespace: 'sel', limit: 1 }))).toHaveLength(1);
    // A prefix is taken literally: `_` and `%` are not wildcards.
    expect(await names(archive.list({ namePrefix: 'sel_' }))).toEqual([]);
    expect(await names(archive.list({ namespace: 'sel2' }))).toEqual(['other']);
    expect(await names(archive.list({ name: { value: 'sel-b', match: 'Exact' } }))).toEqual(['sel-b']);
    expect((await names(archive.list({ namespace: 'sel', name: { value: 'el-', match: 'Contains' } }))).sort()).toEqual(['sel-a', 'sel-b', 'sel-c']);
    expect(await names(archive.list({ name: { value: 'othe', match: 'Prefix' } }))).toEqual(['other']);
  });

  it('lists label keys and the values of a key', async () => {
    const keys = await archive.labelKeys();
    expect(keys).toEqual(expect.arrayContaining(['env', 'tier']));
    expect(keys).toEqual([...keys].sort());
    expect(await archive.labelValues('env')).toEqual(['dev', 'prod']);
    expect(await archive.labelValues('no-such-key')).toEqual([]);
    expect(await archive.labelKeys('sel2')).toEqual(['env']);
    expect(await archive.labelValues('env', 'sel2')).toEqual(['prod']);
  });

  it('refuses a bad limit or continue token naming it, and changes nothing', async () => {
    await expect(archive.list({ limit: 0 })).rejects.toThrow(/listOptions\.limit/);
    await expect(archive.list({ continue: 'not-a-token' })).rejects.toThrow(SpecError);
    await expect(archive.list({ continue: 'not-a-token' })).rejects.toThrow(/listOptions\.continue/);
  });

  it('keeps archived logs in order, per node, and drops them with the workflow', async () => {
    const workflow = finished('logged', { startedAt: '2026-04-01T00:00:00Z' });
    const uid = workflow.metadata.uid!;
    await archive.archive(workflow);
    const lines = [
      { nodeId: 'a', stream: 'stdout' as const, line: 'one' },
      { nodeId: 'b', stream: 'stderr' as const, line: 'two' },
      { nodeId: 'a', stream: 'stdout' as const, line: 'three' },
    ];
    await archive.archiveLogs(uid, lines);
    await archive.archiveLogs(uid, lines);
    expect(await archive.logs(uid)).toEqual(lines);
    expect((await archive.logs(uid, 'a')).map((l) => l.line)).toEqual(['one', 'three']);
    await archive.delete(uid);
    expect(await archive.logs(uid)).toEqual([]);
  });

  it('keeps text with NUL characters, which PostgreSQL refuses, as U+FFFD', async () => {
    const workflow = finished('nul', { startedAt: '2026-06-01T00:00:00Z' });
    workflow.status!.message = 'bad\0byte';
    workflow.metadata.annotations = { raw: 'a\0b', literal: 'not a NUL: \\u0000', both: '\\\0' };
    const uid = workflow.metadata.uid!;
    await archive.archive(workflow);
    await archive.archiveLogs(uid, [{ nodeId: 'n', stream: 'stdout', line: 'x\0y' }]);
    const got = await archive.get(uid);
    expect(got?.status?.message).toBe('bad\uFFFDbyte');
    expect(got?.metadata.annotations).toEqual({ raw: 'a\uFFFDb', literal: 'not a NUL: \\u0000', both: '\\\uFFFD' });
    expect((await archive.list({ namePrefix: 'nul' })).items[0]?.status.message).toBe('bad\uFFFDbyte');
    expect(await archive.logs(uid)).toEqual([{ nodeId: 'n', stream: 'stdout', line: 'x\uFFFDy' }]);
  });

  it('deletes workflows finished before the archiveTTL cut-off only', async () => {
    const old = finished('ttl-old', { namespace: 'ttl', startedAt: '2020-01-01T00:00:00Z' });
    const recent = finished('ttl-new', { namespace: 'ttl', startedAt: '2026-05-01T00:00:00Z' });
    await archive.archive(old);
    await archive.archive(recent);
    expect(await archive.deleteFinishedBefore(new Date('2021-01-01T00:00:00Z'))).toBe(1);
    expect(await names(archive.list({ namespace: 'ttl' }))).toEqual(['ttl-new']);
  });
});

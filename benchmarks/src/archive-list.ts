// The workflow archive's list at 100,000 rows (Argo's own list hangs there, argo-workflows#12025):
// the first page of 50, the first page of a namespace, of a common and a rare label, and a page 90,000 rows
// deep reached by continue tokens. Each timed as the median of repeated calls on a warm connection.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WorkflowArchive, type ArchiveListOptions } from '@regatta/archive';
import { parseLabelSelector } from '@regatta/spec';
import pg from 'pg';

const ROWS = 100_000;
const PAGE = 50;
const DEEP = 90_000;
const REPEATS = 21;

/** Median milliseconds of one list call. */
async function time(archive: WorkflowArchive, options: ArchiveListOptions, expected = PAGE): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    const page = await archive.list(options);
    ms.push(performance.now() - start);
    if (page.items.length !== Math.min(PAGE, expected)) throw new Error(`a page held ${page.items.length} rows, not ${Math.min(PAGE, expected)}`);
  }
  return Math.round(ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]! * 100) / 100;
}

export async function archiveList(url: string): Promise<Record<string, unknown>> {
  const schema = `regatta_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const archive = await WorkflowArchive.open({ url, schema });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const insertStart = performance.now();
    // Rows as the archiver writes them, made in one statement: 10 namespaces, 4 teams, a few-KB document each.
    await admin.query(
      `INSERT INTO ${schema}.archived_workflows (uid, namespace, name, phase, started_at, finished_at, labels, message, priority, workflow)
       SELECT gen_random_uuid()::text, 'ns-' || (i % 10), 'wf-' || i, CASE WHEN i % 7 = 0 THEN 'Failed' ELSE 'Succeeded' END,
              timestamptz '2026-01-01' + i * interval '1 second', timestamptz '2026-01-01' + i * interval '1 second' + interval '30 seconds',
              jsonb_build_object('team', 't' || (i % 4), 'run', i::text), NULL, NULL,
              jsonb_build_object('metadata', jsonb_build_object('name', 'wf-' || i), 'spec', jsonb_build_object('entrypoint', 'main'),
                                 'status', jsonb_build_object('nodes', (SELECT jsonb_object_agg('n' || n, jsonb_build_object('phase', 'Succeeded', 'name', 'wf-' || i || '.step-' || n)) FROM generate_series(1, 20) n)))
       FROM generate_series(1, ${ROWS}) i`,
    );
    await admin.query(`ANALYZE ${schema}.archived_workflows`);
    const insertSeconds = Math.round((performance.now() - insertStart) / 100) / 10;
    let token: string | undefined;
    for (let walked = 0; walked < DEEP; walked += 10_000) token = (await archive.list({ limit: 10_000, continue: token })).continue;
    return {
      rows: ROWS,
      insertSeconds,
      firstPageMs: await time(archive, { limit: PAGE }),
      namespaceFirstPageMs: await time(archive, { namespace: 'ns-3', limit: PAGE }),
      selectorFirstPageMs: await time(archive, { labelSelector: parseLabelSelector('team=t1'), limit: PAGE }),
      // One row of 100,000 carries this label: the GIN index, not a scan of the newest-first index.
      rareSelectorFirstPageMs: await time(archive, { labelSelector: parseLabelSelector('run=77777'), limit: PAGE }, 1),
      prefixFirstPageMs: await time(archive, { namespace: 'ns-3', namePrefix: 'wf-9', limit: PAGE }),
      deepPageMs: await time(archive, { limit: PAGE, continue: token }),
      deepPageAfterRows: DEEP,
    };
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    await archive.close();
  }
}

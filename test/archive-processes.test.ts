// Archiving through the real processes: `regatta scheduler` with ARCHIVE_DATABASE_URL archives what its
// workflows end, with their logs when spec.archiveLogs says so, before their ttlStrategy deletes them;
// archiveLabelSelector leaves the others out.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { WorkflowArchive } from '@regatta/archive';
import type { Workflow } from '@regatta/spec';
import { ArchivePending, Keys } from '@regatta/store';
import { regatta, startService, stopService } from './support/cli.js';
import { ARCHIVE_DATABASE_URL, dropSchema, uniqueSchema } from './support/postgres.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const schema = uniqueSchema();
const dir = mkdtempSync(join(tmpdir(), 'regatta-archive-'));
const env = {
  ARCHIVE_DATABASE_URL: `${ARCHIVE_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  REGATTA_ARCHIVE_LABEL_SELECTOR: 'archive!=no',
};
const services: ReturnType<typeof startService>[] = [];
let archive: WorkflowArchive;

const workflow = (name: string, labels: string, extra: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}, labels: {${labels}}}
spec:
  entrypoint: main
${extra}
  templates:
  - name: main
    container: {image: busybox, command: [sh, -c, "echo said by ${name}"]}
`;

beforeAll(async () => {
  // The schema first: the scheduler migrates it at start.
  archive = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn', ...env }));
  services.push(startService(['worker'], prefix, { LOG_LEVEL: 'warn' }));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await archive?.close();
  await dropSchema(schema);
  await removePrefix(prefix);
});

async function submit(name: string, labels: string, extra = ''): Promise<void> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, workflow(name, labels, extra));
  const submitted = await regatta(['submit', file], prefix);
  expect(submitted.stderr).toBe('');
}

describe('archiving by the scheduler', () => {
  it('archives an ended workflow with its logs before its TTL deletes it from Redis', async () => {
    await submit('kept', 'team: a', '  archiveLogs: true\n  ttlStrategy: {secondsAfterCompletion: 1}');
    const page = await until('the workflow archived', async () => {
      const found = await archive.list({ namePrefix: 'kept' });
      return found.items.length > 0 && found;
    });
    expect(page.items[0]).toMatchObject({ metadata: { name: 'kept', labels: { team: 'a' } }, status: { phase: 'Succeeded' } });
    const uid = page.items[0]!.metadata.uid;
    expect((await archive.logs(uid)).map((line) => line.line)).toContain('said by kept');
    // The TTL removes it from Redis; the archive keeps it.
    await until('the TTL deletion', async () => (await regatta(['get', 'kept'], prefix)).code === 1);
    expect((await archive.get(uid))?.status?.phase).toBe('Succeeded');
  });

  it('leaves out what archiveLabelSelector does not select', async () => {
    await submit('skipped', 'archive: "no"');
    const ended = await until('the workflow ended', async () => {
      const got = JSON.parse((await regatta(['get', 'skipped', '-o', 'json'], prefix)).stdout) as Workflow;
      return got.status?.phase === 'Succeeded' && got;
    });
    // Settled by the archiver: its uid has left the pending set, and no row was written.
    const redis = new Redis(REDIS_URL);
    try {
      const pending = new ArchivePending(redis, new Keys(prefix));
      await until('the uid settled', async () => !(await pending.all()).includes(ended.metadata.uid!));
    } finally {
      redis.disconnect();
    }
    expect((await archive.list({ namePrefix: 'skipped' })).items).toEqual([]);
  });
});

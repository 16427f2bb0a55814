// A large artifact through S3 (s3rver, in a process of its own): saved and loaded through the artifact
// store as a worker does it, against the raw SDK doing the same transfers (`aws s3 cp` in effect:
// lib-storage's Upload from a file, GetObject piped to a file) in the same run, as throughput ratios; and
// this process's peak resident memory above its baseline during each, which must stay under 150 MB
// (no artifact is ever held in memory). BENCH_ARTIFACT_MB sets the size (default 1024) for a quick run.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ArtifactStore, type SecretSource } from '@regatta/artifacts';
import type { Artifact } from '@regatta/spec';
import { startS3Server, type S3Server } from './s3-server.js';
import { round } from './system.js';

const MIB = 1024 ** 2;
/** The S3 driver's defaults, given to the raw SDK too so that both move the same parts. */
const PART_SIZE = 8 * MIB;
const PARTS_IN_FLIGHT = 4;
const RSS_LIMIT_MB = 150;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

interface Timed {
  seconds: number;
  mbPerSecond: number;
  peakRssAboveBaselineMb: number;
}

/** Resident memory now and the peak since the last reset, in MB (Linux: /proc/self). */
function memory(): { rssMb: number; peakMb: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Times `work` and measures how far above the resident memory before it the process's peak went. */
async function measured(bytes: number, work: () => Promise<void>): Promise<Timed> {
  global.gc?.();
  // Writing 5 to clear_refs resets VmHWM to the current RSS, so the peak read after is this work's.
  writeFileSync('/proc/self/clear_refs', '5');
  const baseline = memory().rssMb;
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds: round(seconds, 2), mbPerSecond: round(bytes / MIB / seconds, 1), peakRssAboveBaselineMb: round(memory().peakMb - baseline, 1) };
}

/** A file of incompressible bytes (one random block repeated past gzip's window). */
async function makeFile(path: string, bytes: number): Promise<void> {
  const block = randomBytes(4 * MIB);
  const out = createWriteStream(path);
  for (let written = 0; written < bytes; written += block.length) {
    const chunk = block.subarray(0, Math.min(block.length, bytes - written));
    if (!out.write(chunk)) await once(out, 'drain');
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** The run of median time. */
function medianBy(runs: Timed[]): Timed {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
}

export async function artifactTransfer(megabytes = Number(process.env.BENCH_ARTIFACT_MB ?? 1024)): Promise<Record<string, unknown>> {
  const bytes = megabytes * MIB;
  const dir = await mkdtemp(join(tmpdir(), 'regatta-bench-artifacts-'));
  let server: S3Server | undefined;
  let raw: S3Client | undefined;
  try {
    server = await startS3Server();
    const source = join(dir, 'source');
    await makeFile(source, bytes);
    // Regatta supports Node 20; the SDK's notice that its later versions will not is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const credentials = { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey };
    raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    await raw.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const client = raw;

    const rawUpload = () =>
      measured(bytes, () =>
        new Upload({ client, params: { Bucket: 'bench', Key: 'raw', Body: createReadStream(source) }, partSize: PART_SIZE, queueSize: PARTS_IN_FLIGHT }).done().then(() => undefined),
      );
    const rawDownload = () =>
      measured(bytes, async () => {
        const { Body } = await client.send(new GetObjectCommand({ Bucket: 'bench', Key: 'raw' }));
        await pipeline(Body as Readable, createWriteStream(join(dir, 'raw-back')));
        await rm(join(dir, 'raw-back'));
      });

    const secrets: SecretSource = { secretValue: async (_namespace, { key }) => (key === 'access' ? server!.accessKeyId : server!.secretAccessKey) };
    const store = new ArtifactStore({ secrets, tempDir: dir });
    const s3 = { endpoint: server.hostPort, insecure: true, bucket: 'bench', accessKeySecret: { name: 's', key: 'access' }, secretKeySecret: { name: 's', key: 'secret' } };
    const artifact = (name: string, archive?: Artifact['archive']): Artifact => ({ name, s3: { ...s3, key: name }, ...(archive && { archive }) });
    const save = (name: string, archive?: Artifact['archive']) => measured(bytes, () => store.save(source, artifact(name, archive), 'default'));
    // A loaded input's archive is recognised by its bytes, as a node's input is.
    const load = (name: string) =>
      measured(bytes, async () => {
        const back = join(dir, `${name}-back`);
        await store.load(artifact(name), back, 'default');
        const loaded = (await stat(back)).size;
        if (loaded !== bytes) throw new Error(`${name}: loaded ${loaded} bytes, saved ${bytes}`);
        await rm(back);
      });

    // Raw and store alternate, each pair side by side, and the pair with the median ratio is reported:
    // a shared machine's throughput drifts more between minutes than between neighbours.
    const pairs: { rawUpload: Timed; save: Timed; rawDownload: Timed; load: Timed }[] = [];
    for (let i = 0; i < REPEATS; i++) pairs.push({ rawUpload: await rawUpload(), save: await save('none', { none: {} }), rawDownload: await rawDownload(), load: await load('none') });
    const saveRatios = pairs.map((pair) => round(pair.rawUpload.seconds / pair.save.seconds, 2));
    const loadRatios = pairs.map((pair) => round(pair.rawDownload.seconds / pair.load.seconds, 2));
    const tgz = { save: await save('tgz'), load: await load('tgz') };
    const peaks = [...pairs.flatMap((pair) => [pair.save, pair.load]), tgz.save, tgz.load].map((timed) => timed.peakRssAboveBaselineMb);
    return {
      megabytes,
      raw: { upload: medianBy(pairs.map((pair) => pair.rawUpload)), download: medianBy(pairs.map((pair) => pair.rawDownload)) },
      store: { none: { save: medianBy(pairs.map((pair) => pair.save)), load: medianBy(pairs.map((pair) => pair.load)) }, tgz },
      // The store's transfer against the raw SDK's, both unarchived: 1 is as fast.
      ratioSaveToRawUpload: median(saveRatios),
      ratioLoadToRawDownload: median(loadRatios),
      ratiosMeasured: { save: saveRatios, load: loadRatios },
      storePeakRssAboveBaselineMb: Math.max(...peaks),
      rssLimitMb: RSS_LIMIT_MB,
      withinRssLimit: Math.max(...peaks) < RSS_LIMIT_MB,
    };
  } finally {
    raw?.destroy();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

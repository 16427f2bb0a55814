// A large artifact passed between two steps of a workflow through S3 (s3rver, its own process), as a
// user runs it: `regatta scheduler` and `regatta worker` (local executor) as processes, the repository
// the installation default (REGATTA_ARTIFACT_REPOSITORY), its credentials a Secret made with `regatta
// secret create`. Measured: the workflow's time against the raw SDK moving the same bytes up and down in
// the same run (a ratio), and the worker's peak resident memory above its start, which must stay under
// 150 MB (the worker streams; no artifact is ever held in memory). Unarchived (`archive: {none: {}}`),
// so the transfer, not gzip, is measured; BENCH_ARTIFACT_MB sets the size (default 1024).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { startS3Server } from './s3-server.js';
import { round, statusKb } from './system.js';

const CLI = fileURLToPath(new URL('../../apps/cli/bin/regatta.js', import.meta.url));
const MIB = 1024 ** 2;
const RSS_LIMIT_MB = 150;

const workflow = (megabytes: number) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifact-steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: write, template: write}
    - - name: read
        template: read
        arguments: {artifacts: [{name: big, from: "{{steps.write.outputs.artifacts.big}}"}]}
  - name: write
    container: {image: busybox, command: [sh, -c, "head -c ${megabytes}M /dev/urandom > /tmp/big"]}
    outputs: {artifacts: [{name: big, path: /tmp/big, archive: {none: {}}}]}
  - name: read
    inputs: {artifacts: [{name: big, path: /tmp/big}]}
    container: {image: busybox, command: [sh, -c, "wc -c < /tmp/big"]}
`;

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

export async function artifactSteps(redisUrl: string, megabytes = Number(process.env.BENCH_ARTIFACT_MB ?? 1024)): Promise<Record<string, unknown>> {
  const bytes = megabytes * MIB;
  const dir = await mkdtemp(join(tmpdir(), 'regatta-bench-artifact-steps-'));
  const server = await startS3Server();
  // Regatta supports Node 20; the SDK's notice that its later versions will not is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const services: ChildProcess[] = [];
  const raw = new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const repository = { s3: { bucket: 'steps', endpoint: server.hostPort, insecure: true, createBucketIfNotPresent: {}, accessKeySecret: { name: 'bench-s3', key: 'access' }, secretKeySecret: { name: 'bench-s3', key: 'secret' } } };
    const env = {
      ...process.env,
      REDIS_URL: redisUrl,
      REGATTA_PREFIX: `bench-artifact-steps-${randomBytes(4).toString('hex')}`,
      REGATTA_SECRETS_KEY: randomBytes(32).toString('base64'),
      REGATTA_ARTIFACT_REPOSITORY: JSON.stringify(repository),
      LOG_LEVEL: 'warn',
    };
    const cli = (args: string[], input?: string) => {
      const result = spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`regatta ${args[0]}: ${result.stderr}`);
      return result.stdout;
    };
    cli(['secret', 'create', 'bench-s3', '--from-literal', `access=${server.accessKeyId}`, '--from-literal', `secret=${server.secretAccessKey}`]);
    services.push(spawn(process.execPath, [CLI, 'scheduler'], { env, stdio: 'inherit' }));
    const worker = spawn(process.execPath, [CLI, 'worker', '--concurrency', '2'], { env, stdio: 'inherit' });
    services.push(worker);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const workerStartMb = statusKb(worker.pid, 'VmRSS') / 1024;

    const started = process.hrtime.bigint();
    const submitted = (JSON.parse(cli(['submit', '-', '-o', 'json'], workflow(megabytes))) as { metadata: { name: string } }).metadata.name;
    cli(['wait', submitted]);
    const workflowSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const got = JSON.parse(cli(['get', submitted, '-o', 'json'])) as { status: { phase: string; nodes: Record<string, { displayName: string; outputs?: { result?: string } }> } };
    const read = Object.values(got.status.nodes).find((node) => node.displayName === 'read');
    if (got.status.phase !== 'Succeeded' || read?.outputs?.result?.trim() !== String(bytes)) throw new Error(`the workflow ended ${got.status.phase}, the reader saw ${read?.outputs?.result} bytes`);
    const workerPeakAboveStartMb = statusKb(worker.pid, 'VmHWM') / 1024 - workerStartMb;

    // The same bytes up and down with the raw SDK, as `aws s3 cp` would (the worker's part size and parallelism).
    const source = join(dir, 'source');
    await pipeline(createReadStream('/dev/urandom', { end: bytes - 1 }), createWriteStream(source));
    await raw.send(new CreateBucketCommand({ Bucket: 'raw' }));
    const rawStarted = process.hrtime.bigint();
    await new Upload({ client: raw, params: { Bucket: 'raw', Key: 'big', Body: createReadStream(source) }, partSize: 8 * MIB, queueSize: 4 }).done();
    const { Body } = await raw.send(new GetObjectCommand({ Bucket: 'raw', Key: 'big' }));
    await pipeline(Body as Readable, createWriteStream(join(dir, 'back')));
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;
    return {
      megabytes,
      workflowSeconds: round(workflowSeconds, 2),
      rawUpAndDownSeconds: round(rawSeconds, 2),
      // The raw transfer's time over the workflow's (which also starts two nodes and writes the file): 1 is as fast.
      ratioToRawSdk: round(rawSeconds / workflowSeconds, 2),
      workerPeakRssAboveStartMb: round(workerPeakAboveStartMb, 1),
      rssLimitMb: RSS_LIMIT_MB,
      withinRssLimit: workerPeakAboveStartMb < RSS_LIMIT_MB,
    };
  } finally {
    raw.destroy();
    for (const child of services) child.kill('SIGTERM');
    await Promise.all(services.map(waitForExit));
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

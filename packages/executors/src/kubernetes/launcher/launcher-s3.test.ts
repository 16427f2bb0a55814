// The launcher's artifacts through S3 (s3rver, a real S3-compatible server) with the credentials a pod
// gets: files of secret volumes, one per key. `wait` saves an output artifact and the main container's
// log (archiveLogs) there; `regatta-launcher install` (the built program, as regatta-init runs it) loads
// the artifact back; a missing credential is named, Secret and key, in the worker's words.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Artifact } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type S3Server } from '../../../../../test/support/s3-server.js';
import { artifactStore } from './artifact-store.js';
import { fileSecretSource } from './file-secrets.js';
import { awaitOutputs } from './wait-reporter.js';

const MAIN = fileURLToPath(new URL('../../../dist/kubernetes/launcher/main.js', import.meta.url));
const namespace = 'pods';
let server: S3Server;
let work: string;
let secretsDir: string;

beforeAll(async () => {
  server = await startS3Server();
  work = await mkdtemp(join(tmpdir(), 'regatta-launcher-s3-'));
  // As Kubernetes writes a secret volume with `items`: <secret>/<key>.
  secretsDir = join(work, 'secrets');
  await mkdir(join(secretsDir, 'team-s3'), { recursive: true });
  await writeFile(join(secretsDir, 'team-s3', 'accessKey'), server.accessKeyId);
  await writeFile(join(secretsDir, 'team-s3', 'secretKey'), server.secretAccessKey);
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

function s3(key: string, secretKey = 'secretKey'): Artifact['s3'] {
  return { endpoint: server.hostPort, bucket: 'team', insecure: true, key, createBucketIfNotPresent: {}, accessKeySecret: { name: 'team-s3', key: 'accessKey' }, secretKeySecret: { name: 'team-s3', key: secretKey } };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH, ...env } }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stderr }),
    );
  });
}

describe('the launcher with S3 and credentials from secret volume files', () => {
  it('wait saves an output artifact and the main log to S3, and regatta-init loads the artifact back', async () => {
    const runDir = join(work, 'run-a');
    await mkdir(runDir);
    const env = { REGATTA_RUN_DIR: runDir, REGATTA_SECRETS_DIR: secretsDir, REGATTA_NAMESPACE: namespace };
    expect(await run(['install', join(runDir, 'launcher')], env)).toMatchObject({ code: 0 });
    const output: Artifact = { name: 'result', path: join(runDir, 'result.txt'), s3: s3('wf/pod/result.tgz') };
    const logs: Artifact = { name: 'main-logs', archive: { none: {} }, s3: s3('wf/pod/main.log') };
    const outputs = { artifacts: [output] };
    const waiting = awaitOutputs({ runDir, containers: ['main'], outputs, logsArtifact: logs, pod: { namespace, name: 'p' } }, artifactStore({}, fileSecretSource(secretsDir)));
    const ran = await new Promise<number>((resolve) =>
      execFile(join(runDir, 'launcher'), ['--', 'sh', '-c', `echo out; echo err >&2; echo saved > ${output.path}`], { env: { PATH: process.env.PATH, REGATTA_CONTAINER: 'main', REGATTA_OUTPUTS: JSON.stringify(outputs), REGATTA_KEEP_LOG: 'true' } }, (error) =>
        resolve(error ? 1 : 0),
      ),
    );
    expect(ran).toBe(0);
    expect(await waiting).toEqual({ exitCode: '0', result: 'out', artifacts: [output, logs] });
    await artifactStore({}, fileSecretSource(secretsDir)).load(logs, join(runDir, 'main.log'), namespace);
    expect((await readFile(join(runDir, 'main.log'), 'utf8')).split('\n').sort()).toEqual(['', 'err', 'out']);

    const inputs = [{ name: 'result', path: '/in/result.txt', s3: output.s3 }];
    const placed = await run(['install', join(runDir, 'launcher')], { ...env, REGATTA_INPUT_ARTIFACTS: JSON.stringify(inputs) });
    expect(placed).toMatchObject({ code: 0 });
    expect(await readFile(join(runDir, 'inputs', 'result'), 'utf8')).toBe('saved\n');
  });

  it('names the Secret and key a pod was not given, and never reads outside the secrets folder', async () => {
    const runDir = join(work, 'run-b');
    await mkdir(runDir);
    const env = { REGATTA_RUN_DIR: runDir, REGATTA_SECRETS_DIR: secretsDir, REGATTA_NAMESPACE: namespace };
    const inputs = [{ name: 'result', path: '/in/result.txt', s3: s3('wf/pod/result.tgz', 'uploadKey') }];
    const placed = await run(['install', join(runDir, 'launcher')], { ...env, REGATTA_INPUT_ARTIFACTS: JSON.stringify(inputs) });
    expect(placed.code).toBe(64);
    expect(placed.stderr).toContain('failed to load input artifact "result"');
    expect(placed.stderr).toContain(`couldn't find key uploadKey in Secret ${namespace}/team-s3`);
    const secrets = fileSecretSource(secretsDir);
    await expect(secrets.secretValue(namespace, { name: 'absent', key: 'token' })).rejects.toThrow(`Secret ${namespace}/absent not found (wanted key token)`);
    await expect(secrets.secretValue(namespace, { name: '..', key: 'team-s3' })).rejects.toThrow(`Secret ${namespace}/.. not found`);
    expect(await secrets.secretValue(namespace, { name: 'absent', key: 'token', optional: true })).toBe('');
  });
});

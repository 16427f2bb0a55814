import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore, type SecretSource } from '@regatta/artifacts';
import { startS3Server, type S3Server } from '../../../../test/support/s3-server.js';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-executor-'));
const artifactsDir = mkdtempSync(join(tmpdir(), 'regatta-artifacts-'));
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(artifactsDir, { recursive: true, force: true });
});
const executor = new LocalExecutor({ workDir, artifacts: new ArtifactStore({ localRoot: artifactsDir }) });

function sh(script: string, extra: Partial<NodeRunRequest> = {}): NodeRunRequest {
  return {
    workflow: { name: 'wf', namespace: 'default', uid: 'uid' },
    nodeId: `node-${randomUUID().slice(0, 8)}`,
    nodeName: 'wf',
    attempt: 0,
    templateName: 'main',
    container: { image: 'busybox', command: ['sh', '-c', script] },
    ...extra,
  };
}

function context(): RunContext & { lines: string[] } {
  const lines: string[] = [];
  return { signal: new AbortController().signal, lines, onLog: (_stream, line) => lines.push(line) };
}

/** A key of its own per test, so that tests share the repository without meeting. */
function key(name: string): string {
  return `default/uid/${randomUUID().slice(0, 8)}/${name}`;
}

describe('output artifacts', () => {
  it('are saved as tar+gzip of the file under its base name, and reported with their key', async () => {
    const out = key('out.tgz');
    const result = await executor.run(sh('echo hello > /tmp/out.txt', { outputArtifacts: [{ name: 'out', path: '/tmp/out.txt', key: out }] }), context());
    expect(result.phase).toBe('Succeeded');
    expect(result.outputs.artifacts).toEqual([{ name: 'out', path: '/tmp/out.txt', key: out }]);
    expect(execFileSync('tar', ['-tzf', join(artifactsDir, out)], { encoding: 'utf8' })).toBe('out.txt\n');
  });

  it('are stored as they are with archive none', async () => {
    const out = key('plain');
    const artifact = { name: 'plain', path: '/tmp/plain.txt', archive: { none: {} }, key: out };
    const result = await executor.run(sh('printf raw > /tmp/plain.txt', { outputArtifacts: [artifact] }), context());
    expect(result.outputs.artifacts).toEqual([artifact]);
    expect(readFileSync(join(artifactsDir, out), 'utf8')).toBe('raw');
  });

  it('are saved from a node that failed, which keeps its own message', async () => {
    const out = key('out.tgz');
    const artifacts = [
      { name: 'out', path: '/tmp/out.txt', key: out },
      { name: 'never', path: '/tmp/never', key: key('never.tgz') },
    ];
    const result = await executor.run(sh('echo partial > /tmp/out.txt; exit 3', { outputArtifacts: artifacts }), context());
    expect(result).toMatchObject({ phase: 'Failed', message: 'Error (exit code 3)', outputs: { artifacts: [{ name: 'out', key: out }] } });
  });

  it('fail a succeeded node when missing, unless optional', async () => {
    const missing = await executor.run(sh('true', { outputArtifacts: [{ name: 'x', path: '/tmp/x', key: key('x.tgz') }] }), context());
    expect(missing).toMatchObject({ phase: 'Error', message: 'failed to save outputs: path /tmp/x does not exist' });
    const optional = await executor.run(sh('true', { outputArtifacts: [{ name: 'x', path: '/tmp/x', key: key('x.tgz'), optional: true }] }), context());
    expect(optional.phase).toBe('Succeeded');
    expect(optional.outputs.artifacts).toBeUndefined();
  });
});

describe('input artifacts', () => {
  it('a directory saved by one node is unpacked at the input path of the next', async () => {
    const dir = key('dir.tgz');
    const saved = await executor.run(
      sh('mkdir -p /tmp/dir/sub && echo a > /tmp/dir/a && echo b > /tmp/dir/sub/b', { outputArtifacts: [{ name: 'dir', path: '/tmp/dir', key: dir }] }),
      context(),
    );
    expect(saved.phase).toBe('Succeeded');
    const run = context();
    const result = await executor.run(sh('cat /tmp/in/a /tmp/in/sub/b', { inputArtifacts: [{ name: 'dir', path: '/tmp/in', key: dir }] }), run);
    expect(result.phase).toBe('Succeeded');
    expect(run.lines).toEqual(['a', 'b']);
  });

  it('an archived file is placed at the input path under that name', async () => {
    const out = key('out.tgz');
    await executor.run(sh('echo passed > /tmp/out.txt', { outputArtifacts: [{ name: 'out', path: '/tmp/out.txt', key: out }] }), context());
    const run = context();
    await executor.run(sh('cat /tmp/message', { inputArtifacts: [{ name: 'message', path: '/tmp/message', key: out }] }), run);
    expect(run.lines).toEqual(['passed']);
  });

  it('raw data is written as a file, with its mode', async () => {
    const run = context();
    const inputArtifacts = [{ name: 'note', path: '/tmp/notes/note.sh', raw: { data: 'echo from raw' }, mode: 0o755 }];
    const result = await executor.run(sh('/tmp/notes/note.sh', { inputArtifacts }), run);
    expect(result.phase).toBe('Succeeded');
    expect(run.lines).toEqual(['from raw']);
  });

  it('a key not in the repository fails the node before it runs, unless optional', async () => {
    const gone = key('gone.tgz');
    const missing = await executor.run(sh('echo ran', { inputArtifacts: [{ name: 'gone', path: '/tmp/gone', key: gone }] }), context());
    expect(missing).toMatchObject({ phase: 'Error', message: `failed to load input artifact "gone": key ${gone} is not in the artifact repository` });
    const optional = await executor.run(sh('test ! -e /tmp/gone', { inputArtifacts: [{ name: 'gone', path: '/tmp/gone', key: gone, optional: true }] }), context());
    expect(optional.phase).toBe('Succeeded');
  });

  it('go anywhere in the container root of their own, and never onto the host', async () => {
    const folder = `/regatta-test-${randomUUID().slice(0, 8)}`;
    const result = await executor.run(
      sh(`cat ${folder}/in/src && echo out > ${folder}/out.txt`, {
        inputArtifacts: [{ name: 'src', path: `${folder}/in/src`, raw: { data: 'x' } }],
        outputParameters: [{ name: 'p', valueFrom: { path: `${folder}/out.txt` } }],
      }),
      context(),
    );
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'x', parameters: [{ name: 'p', value: 'out' }] } });
    expect(existsSync(folder)).toBe(false);
  });

  it('outside /tmp are refused where nodes get no sandbox', async () => {
    const unisolated = new LocalExecutor({ workDir, artifacts: new ArtifactStore({ localRoot: artifactsDir }), isolation: 'none' });
    const result = await unisolated.run(sh('true', { inputArtifacts: [{ name: 'src', path: '/src', raw: { data: 'x' } }] }), context());
    expect(result).toMatchObject({
      phase: 'Error',
      message: `failed to load input artifact "src": path "/src" is outside the node's /tmp, and nodes here have no container root of their own to put it in`,
    });
  });
});

describe('artifacts in S3', () => {
  let server: S3Server;
  let s3Executor: LocalExecutor;
  beforeAll(async () => {
    server = await startS3Server();
    const secrets: SecretSource = { secretValue: async (_namespace, { key }) => (key === 'access' ? server.accessKeyId : server.secretAccessKey) };
    s3Executor = new LocalExecutor({ workDir, artifacts: new ArtifactStore({ localRoot: artifactsDir, secrets }) });
  });
  afterAll(() => server?.stop());
  const s3 = (key: string) => ({
    endpoint: server.hostPort,
    insecure: true,
    bucket: 'node-artifacts',
    key,
    createBucketIfNotPresent: {},
    accessKeySecret: { name: 'creds', key: 'access' },
    secretKeySecret: { name: 'creds', key: 'secret' },
  });

  it('are saved by one node and placed for the next, reported with their location and nothing of their declaration', async () => {
    const output = { name: 'out', path: '/tmp/out', s3: s3('run/out.tgz'), globalName: 'shared', optional: false };
    const saved = await s3Executor.run(sh('mkdir -p /tmp/out && echo one > /tmp/out/a && echo two > /tmp/out/b', { outputArtifacts: [output] }), context());
    expect(saved.phase).toBe('Succeeded');
    expect(saved.outputs.artifacts).toEqual([{ name: 'out', path: '/tmp/out', s3: output.s3 }]);
    const input = { name: 'in', path: '/tmp/in', s3: output.s3, mode: 0o700 };
    const placed = await s3Executor.run(sh('cat /tmp/in/a /tmp/in/b', { inputArtifacts: [input] }), context());
    expect(placed).toMatchObject({ phase: 'Succeeded', outputs: { result: 'one\ntwo' } });
  });

  it('missing from the bucket fail the node naming the artifact and the store, unless optional', async () => {
    const missing = { name: 'in', path: '/tmp/in', s3: s3('run/missing') };
    const failed = await s3Executor.run(sh('true', { inputArtifacts: [missing] }), context());
    expect(failed).toMatchObject({ phase: 'Error', message: `failed to load input artifact "in": s3 bucket node-artifacts at ${server.endpoint}, key run/missing is not in the artifact repository` });
    expect((await s3Executor.run(sh('true', { inputArtifacts: [{ ...missing, optional: true }] }), context())).phase).toBe('Succeeded');
  });
});

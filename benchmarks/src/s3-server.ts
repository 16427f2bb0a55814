// An S3-compatible server for tests and benchmarks: s3rver (from npm) in a child process of its own (so
// its memory and CPU are not the measured process's), on 127.0.0.1 at a port the system picks, keeping
// its buckets in a temporary folder removed on stop. Its fixed credentials are S3RVER / S3RVER.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3Server {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`). */
  endpoint: string;
  /** As Argo's `endpoint` is written: `127.0.0.1:<port>` (with `insecure: true`, unless `tls`). */
  hostPort: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
  /** For an exit that cannot wait: the server is told to stop (its folder stays). */
  signalStop(): void;
}

const STARTUP_MS = 15_000;

/** `buckets` are made at start (a store's `createBucketIfNotPresent` makes others); `tls` serves HTTPS with that PEM key and certificate. */
export async function startS3Server(buckets: string[] = [], { tls }: { tls?: { keyPath: string; certPath: string } } = {}): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'regatta-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const configure = buckets.flatMap((bucket) => ['--configure-bucket', bucket]);
  const serveTls = tls ? ['--key', tls.keyPath, '--cert', tls.certPath] : [];
  const child = spawn(process.execPath, [bin, '-d', directory, '-a', '127.0.0.1', '-p', '0', '--silent', ...serveTls, ...configure], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`s3rver did not start within ${STARTUP_MS} ms: ${output}`)), STARTUP_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /listening on [\d.]+:(\d+)/.exec(output);
        if (listening) (clearTimeout(timer), resolve(Number(listening[1])));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`s3rver exited (${code}) before listening: ${output}`))));
    });
    child.stdout.resume();
    child.stderr.resume();
    const signalStop = () => void (child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'));
    return { endpoint: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', stop, signalStop };
  } catch (error) {
    await stop();
    throw error;
  }
}

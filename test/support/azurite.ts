// Azure Blob tests run against azurite's blob service, started per test file on a loopback port the
// kernel picks, keeping its data in memory, and stopped afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { stopChild } from './stop-child.js';

/** Azurite's development account and its well-known key (published by Microsoft; no secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** The account's endpoint, path-style: `http://127.0.0.1:<port>/devstoreaccount1`. */
  endpoint: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const child = spawn(
    join(ROOT, 'node_modules/.bin/azurite-blob'),
    ['--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--extentMemoryLimit', '512', '--skipApiVersionCheck', '--disableTelemetry', '--silent'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await listeningPort(child);
  return {
    endpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    stop: () => stopChild(child),
  };
}

/** Azurite prints the address it listens on once it does; with port 0 that is how the port is learnt. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (found) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(Number(found[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`azurite exited (${code}) before listening: ${output.trim()}`)));
  });
}

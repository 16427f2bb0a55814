// Downloads from a store land in a file under a temporary name beside it, renamed once complete, so a
// transfer cut short never leaves half an artifact where a node would take it for the whole one.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';

export async function writeStreamToFile(body: NodeJS.ReadableStream, destination: string): Promise<void> {
  await mkdir(dirname(destination), { recursive: true });
  const partial = `${destination}.partial-${randomUUID()}`;
  try {
    await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
    await rename(partial, destination);
  } finally {
    await rm(partial, { force: true });
  }
}

// Argo's archive strategies: a file or folder packed into one file before a store takes it (tar+gzip
// by default, `zip`, or `none`: stored as it is), and an object loaded from a store recognised by what it
// holds (Argo looks at the bytes, not the name); unpacking it is `unpack.ts`'s.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ArchiveStrategy } from '@regatta/spec';
import * as tar from 'tar';
import * as yazl from 'yazl';

export type ArchiveFormat = 'tgz' | 'zip';

/** The format a strategy packs into; `undefined` for `none`. */
export function archiveFormat(strategy: ArchiveStrategy | undefined): ArchiveFormat | undefined {
  if (strategy?.none !== undefined) return undefined;
  return strategy?.zip !== undefined ? 'zip' : 'tgz';
}

/** Packs the file or folder at `source`, under its own base name as Argo's executor does, into the file `target`. */
export async function pack(source: string, format: ArchiveFormat, target: string, strategy?: ArchiveStrategy): Promise<void> {
  if (format === 'tgz') {
    const level = strategy?.tar?.compressionLevel;
    // Links are stored as links (never followed): what they point at is not the artifact's.
    // Files are read 1 MiB at a time (tar's default is 16): the worker's memory stays flat whatever their size.
    await tar.c({ file: target, gzip: level === undefined ? true : { level }, cwd: dirname(source), portable: true, maxReadSize: 1024 ** 2 }, [basename(source)]);
    return;
  }
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, createWriteStream(target));
  await addToZip(zip, source, basename(source));
  zip.end();
  await written;
}

async function addToZip(zip: yazl.ZipFile, path: string, name: string): Promise<void> {
  const stats = await lstat(path);
  if (stats.isSymbolicLink()) {
    // Zip keeps a link as an entry whose content is its target and whose Unix mode says "link".
    zip.addBuffer(Buffer.from(await readlink(path)), name, { mode: stats.mode, mtime: stats.mtime });
  } else if (stats.isDirectory()) {
    zip.addEmptyDirectory(name, { mode: stats.mode, mtime: stats.mtime });
    for (const entry of (await readdir(path)).sort()) await addToZip(zip, join(path, entry), `${name}/${entry}`);
  } else if (stats.isFile()) {
    // Opened when yazl comes to it, so a folder of many files does not hold a descriptor for each.
    zip.addReadStreamLazy(name, { mode: stats.mode, mtime: stats.mtime, size: stats.size }, (opened) => opened(null, createReadStream(path)));
  } else {
    throw new Error(`${name} is not a file, folder or link and cannot be archived`);
  }
}

/** Whether the file holds a tar+gzip or zip archive, by its first bytes (a gzip that is not a tar is neither). */
export async function detectArchive(path: string): Promise<ArchiveFormat | undefined> {
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return (await holdsTarHeader(path)) ? 'tgz' : undefined;
  return undefined;
}

/** Whether the gzip's first 512 bytes are a tar header ("ustar" at 257); reads no further. */
async function holdsTarHeader(path: string): Promise<boolean> {
  const gunzip = createGunzip();
  const input = createReadStream(path);
  input.pipe(gunzip);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= 512) break;
    }
  } catch {
    return false;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  return Buffer.concat(chunks).subarray(257, 262).toString('latin1') === 'ustar';
}

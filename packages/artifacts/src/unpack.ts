// Unpacking what a store held: it came from a node and is not trusted. No absolute path, no `..`, no
// link that leads out of the artifact, nothing written through a link, no device files, and a cap on
// entries and bytes so that a small archive cannot fill the disk. Everything streams.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, symlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import * as yauzl from 'yauzl';
import type { ArchiveFormat } from './archive.js';
import { resolveBeneath } from './resolve-beneath.js';

/** What one unpacking may make: Argo has no such cap; these keep one artifact from filling the worker's disk. */
export interface UnpackLimits {
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxBytes: 64 * 1024 ** 3, maxEntries: 1_000_000 };

/** An archive the node made that would write outside its folder, or more than allowed: the node's error. */
export class UnsafeArchiveError extends Error {}

/** Checks one entry's path and link target against the folder it is unpacked into; throws saying why it is refused. */
function checkEntry(path: string, kind: 'file' | 'folder' | 'symlink' | 'hardlink' | 'other', linkTarget?: string): void {
  const normal = posix.normalize(path);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw new UnsafeArchiveError(`entry ${path} has an absolute path`);
  if (normal === '..' || normal.startsWith('../') || path.split('/').includes('..')) throw new UnsafeArchiveError(`entry ${path} climbs out with ".."`);
  if (kind === 'other') throw new UnsafeArchiveError(`entry ${path} is a device, FIFO or other special file`);
  if (linkTarget === undefined) return;
  if (linkTarget.startsWith('/')) throw new UnsafeArchiveError(`entry ${path} links to the absolute path ${linkTarget}`);
  // A hard link names another entry; a symbolic one is relative to its own folder. Leading `..` only, and
  // never written through (resolveBeneath), keeps what the link reaches the same on disk as on paper.
  const target = posix.normalize(kind === 'hardlink' ? linkTarget : posix.join(posix.dirname(normal), linkTarget));
  const climbs = posix.normalize(linkTarget).split('/');
  const firstDown = climbs.findIndex((part) => part !== '..');
  if (target === '..' || target.startsWith('../') || (firstDown >= 0 && climbs.slice(firstDown).includes('..'))) {
    throw new UnsafeArchiveError(`entry ${path} links to ${linkTarget}, outside the artifact`);
  }
}

/** Counts what an unpacking makes, refusing once past the limits. */
class Budget {
  private bytes = 0;
  private entries = 0;
  constructor(private readonly limits: UnpackLimits) {}

  take(path: string, size: number): void {
    this.entries += 1;
    this.bytes += size;
    if (this.entries > this.limits.maxEntries) throw new UnsafeArchiveError(`more than ${this.limits.maxEntries} entries (at ${path})`);
    if (this.bytes > this.limits.maxBytes) throw new UnsafeArchiveError(`more than ${this.limits.maxBytes} bytes unpacked (at ${path})`);
  }
}

/** Unpacks the archive at `archive` into the existing empty folder `folder`, refusing what is unsafe. */
export async function unpack(archive: string, format: ArchiveFormat, folder: string, limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): Promise<void> {
  if (format === 'tgz') await untar(archive, folder, new Budget(limits));
  else await unzip(archive, folder, new Budget(limits));
}

const TAR_KINDS: Record<string, 'file' | 'folder' | 'symlink' | 'hardlink'> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'folder',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
};

/**
 * Entries are placed here rather than by tar's own extraction, one after another, so that a refusal
 * stops at once with nothing still being written when the caller removes what was unpacked.
 */
async function untar(archive: string, folder: string, budget: Budget): Promise<void> {
  // strict: a damaged archive fails the unpacking instead of warning.
  const parser = new tar.Parser({ strict: true });
  let placing = Promise.resolve();
  let failure: unknown;
  parser.on('entry', (entry: tar.ReadEntry) => {
    placing = placing
      .then(() => (failure === undefined ? placeTarEntry(entry, folder, budget) : entry.resume()))
      .catch((error: unknown) => {
        failure ??= error;
        entry.resume();
        parser.abort(error as Error);
      });
  });
  await pipeline(createReadStream(archive), parser).catch((error: unknown) => {
    failure ??= error;
  });
  await placing;
  if (failure !== undefined) throw failure;
}

async function placeTarEntry(entry: tar.ReadEntry, folder: string, budget: Budget): Promise<void> {
  const path = entry.path.replace(/\/+$/, '');
  const kind = TAR_KINDS[entry.type] ?? 'other';
  checkEntry(path, kind, entry.linkpath || undefined);
  budget.take(path, entry.size ?? 0);
  if (kind === 'folder') {
    await resolveBeneath(folder, path, { create: 'all' });
    entry.resume();
    return;
  }
  // Never through a link made by an earlier entry: each part of the path is checked without following.
  const target = join(await resolveBeneath(folder, posix.dirname(path), { create: 'all' }), posix.basename(path));
  if (kind === 'symlink') {
    await symlink(entry.linkpath!, target);
    entry.resume();
  } else if (kind === 'hardlink') {
    await link(await resolveBeneath(folder, posix.normalize(entry.linkpath!)), target);
    entry.resume();
  } else {
    // `wx`: an entry repeated, or a link made under its name, is refused rather than written through.
    await pipeline(entry as unknown as Readable, createWriteStream(target, { flags: 'wx', mode: (entry.mode ?? 0) & 0o777 || 0o644 }));
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** A link's target is a path; anything longer is not one. */
const MAX_LINK_TARGET = 4096;

async function unzip(archive: string, folder: string, budget: Budget): Promise<void> {
  const zip = await yauzl.openPromise(archive, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true, decodeStrings: true });
  try {
    let entry: yauzl.Entry | null;
    while ((entry = await nextEntry(zip)) !== null) await placeZipEntry(zip, entry, folder, budget);
  } finally {
    zip.close();
  }
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => (zip.off('entry', onEntry), zip.off('end', onEnd), zip.off('error', onError));
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(null));
    // yauzl refuses a bad name itself, before the entry reaches checkEntry.
    const onError = (error: Error) => (cleanup(), reject(/path|file ?name|characters/i.test(error.message) ? new UnsafeArchiveError(error.message) : error));
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function placeZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, folder: string, budget: Budget): Promise<void> {
  const name = entry.fileName.replace(/\/$/, '');
  const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
  const type = mode & S_IFMT;
  const kind = type === S_IFLNK ? 'symlink' : entry.fileName.endsWith('/') || type === S_IFDIR ? 'folder' : type === 0 || type === S_IFREG ? 'file' : 'other';
  if (kind === 'symlink') {
    if (entry.uncompressedSize > MAX_LINK_TARGET) throw new UnsafeArchiveError(`entry ${name} is a link with a target of ${entry.uncompressedSize} bytes`);
    const target = (await readAll(await zip.openReadStreamPromise(entry))).toString();
    checkEntry(name, kind, target);
    budget.take(name, 0);
    await symlink(target, join(await resolveBeneath(folder, posix.dirname(name), { create: 'all' }), posix.basename(name)));
    return;
  }
  checkEntry(name, kind);
  budget.take(name, entry.uncompressedSize);
  if (kind === 'folder') {
    await resolveBeneath(folder, name, { create: 'all' });
    return;
  }
  const path = join(await resolveBeneath(folder, posix.dirname(name), { create: 'all' }), posix.basename(name));
  // `wx`: an entry repeated, or a link made under its name, is refused rather than written through.
  await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(path, { flags: 'wx', mode: (mode & 0o777) || 0o644 }));
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(stream, 'end');
  return Buffer.concat(chunks);
}

// Regatta's artifact repository for local mode: a folder on the host, shared by the workers of that
// host, holding each artifact at its key as Argo's repositories do (`<workflow>/<pod>/<name>.tgz`).
// Archived artifacts are tar+gzip made by the system's `tar`, as Argo's executor makes them (the file
// or folder under its own base name); others are copied as they are. Writes land under a temporary
// name and are renamed into place, so a worker reading a key never sees half an artifact. What is stored
// came from nodes and may hold symbolic links: a key is walked without following any (an artifact `a`
// that is a link to /etc, then one at `a/evil`, would have the worker write /etc/evil).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, lstat, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { ensurePrivateFolder } from '../local/private-folder.js';
import { BeneathError, resolveBeneath } from '../local/resolve-beneath.js';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Nothing is stored at the key: the node's problem (a missing input), not the host's. */
export class ArtifactNotFoundError extends Error {
  readonly code = 'ARTIFACT_NOT_FOUND';
  constructor(
    readonly key: string,
    detail?: string,
  ) {
    super(`key ${key} is not in the artifact repository${detail === undefined ? '' : `: ${detail}`}`);
  }
}

export class LocalArtifactRepository {
  readonly root: string;
  private ready?: Promise<void>;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The repository's folder, made private (0700) on first use, or refused where someone else made it. */
  private ensureRoot(): Promise<void> {
    this.ready ??= ensurePrivateFolder(this.root, 'the artifact repository').catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Stores the file or folder at `source` under `key`: tar+gzip when the key ends in `.tgz`. */
  async save(key: string, source: string): Promise<void> {
    this.locate(key);
    await this.ensureRoot();
    const target = join(await resolveBeneath(this.root, posix.dirname(key), { create: 'all' }), posix.basename(key));
    const partial = `${target}.partial-${randomUUID()}`;
    try {
      if (isArchive(key)) await run('tar', ['-czf', partial, '-C', dirname(source), basename(source)]);
      else await cp(source, partial, { recursive: true, verbatimSymlinks: true });
      // A retried save replaces what an earlier one left; rename cannot replace a folder.
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }

  /**
   * Places the artifact at `key` at `destination`, unpacking an archive's one entry (or all) there.
   * `asIs`: a file inside an unarchived tree, copied even where its name ends in `.tgz`.
   */
  async load(key: string, destination: string, asIs = false): Promise<void> {
    this.locate(key);
    await this.ensureRoot();
    const source = await resolveBeneath(this.root, key).catch((error: unknown) => {
      throw error instanceof BeneathError ? new Error(`key ${key}: ${error.message}`) : error;
    });
    await lstat(source).catch(async () => {
      throw new ArtifactNotFoundError(key, await this.missingPart(key));
    });
    await mkdir(dirname(destination), { recursive: true });
    if (asIs || !isArchive(key)) return cp(source, destination, { recursive: true, verbatimSymlinks: true });
    // Unpacked beside the destination (the same file system, so the rename is atomic), as Argo's untar does.
    const unpacked = await mkdtemp(join(dirname(destination), '.regatta-unpack-'));
    try {
      await run('tar', ['-xzf', source, '-C', unpacked, '--no-same-owner']);
      const entries = await readdir(unpacked);
      await rename(entries.length === 1 ? join(unpacked, entries[0]!) : unpacked, destination);
    } finally {
      await rm(unpacked, { recursive: true, force: true });
    }
  }

  /** Every key under `prefix` (files, recursively), sorted; none when nothing is there. */
  async list(prefix: string): Promise<string[]> {
    const base = prefix === '' ? this.root : this.locate(prefix);
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && !entry.name.includes('.partial-'))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)))
      .sort();
  }

  /**
   * For a key inside a stored artifact (an argument's `subPath` appends to the artifact's key): the
   * stored part and what it lacks. A folder counts as a stored artifact from the fourth part of its key
   * on (Regatta's keys are `<namespace>/<workflow uid>/<pod>/<name>`), so a key merely missing keeps the short message.
   */
  private async missingPart(key: string): Promise<string | undefined> {
    const parts = key.split('/');
    for (let length = parts.length - 1; length > 0; length--) {
      const stored = parts.slice(0, length).join('/');
      const found = await stat(this.locate(stored)).catch(() => undefined);
      if (!found) continue;
      const rest = parts.slice(length).join('/');
      if (found.isDirectory()) return length >= 4 ? `folder ${stored} holds no ${rest}` : undefined;
      if (isArchive(stored)) return `${stored} is an archive, whose contents have no keys of their own`;
      return `${stored} is a file, which has no path ${rest} inside it`;
    }
    return undefined;
  }

  /** The key's place under the root; a key that would leave the root (`..`) is refused. */
  private locate(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`artifact key "${key}" leaves the artifact repository`);
    return path;
  }
}

function isArchive(key: string): boolean {
  return key.endsWith('.tgz');
}

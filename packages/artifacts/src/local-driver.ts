// Regatta's folder store for local mode: a folder on the host, shared by the workers of that host,
// holding each artifact at its key (`<namespace>/<workflow uid>/<pod>/<name>[.tgz]`), what the store
// facade packed (or the file or folder itself, archive none) copied as it is. Writes land under a
// temporary name and are renamed into place, so a worker reading a key never sees half an artifact.
// What is stored came from nodes and may hold symbolic links: a key is walked without following any (an
// artifact `a` that is a link to /etc, then one at `a/evil`, would have the worker write /etc/evil).
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { Artifact } from '@regatta/spec';
import { ArtifactNotFoundError, type ArtifactDriver } from './driver.js';
import { ensurePrivateFolder } from './private-folder.js';
import { BeneathError, resolveBeneath } from './resolve-beneath.js';

export class LocalDriver implements ArtifactDriver {
  readonly root: string;
  private ready?: Promise<void>;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(artifact: Artifact): string {
    return `key ${keyOf(artifact)}`;
  }

  async save(source: string, artifact: Artifact): Promise<void> {
    const key = keyOf(artifact);
    this.locate(key);
    await this.ensureRoot();
    const target = join(await resolveBeneath(this.root, posix.dirname(key), { create: 'all' }), posix.basename(key));
    const partial = `${target}.partial-${randomUUID()}`;
    try {
      await cp(source, partial, { recursive: true, verbatimSymlinks: true });
      // A retried save replaces what an earlier one left; rename cannot replace a folder.
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }

  async load(artifact: Artifact, destination: string): Promise<void> {
    const source = await this.stored(artifact);
    await mkdir(dirname(destination), { recursive: true });
    await cp(source, destination, { recursive: true, verbatimSymlinks: true });
  }

  async openStream(artifact: Artifact): Promise<Readable> {
    return createReadStream(await this.stored(artifact));
  }

  /** Every key under the artifact's key (files, recursively), sorted; none when nothing is there. */
  async list(artifact: Artifact): Promise<string[]> {
    const prefix = keyOf(artifact);
    const base = prefix === '' ? this.root : this.locate(prefix);
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isFile() && !entry.name.includes('.partial-'))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)))
      .sort();
  }

  async delete(artifact: Artifact): Promise<void> {
    const key = keyOf(artifact);
    this.locate(key);
    await rm(await this.beneath(key), { recursive: true, force: true });
  }

  async isDirectory(artifact: Artifact): Promise<boolean> {
    return (await lstat(await this.stored(artifact))).isDirectory();
  }

  /** The repository's folder, made private (0700) on first use, or refused where someone else made it. */
  private ensureRoot(): Promise<void> {
    this.ready ??= ensurePrivateFolder(this.root, 'the artifact repository').catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** The path of what is stored at the artifact's key, walked without following links; missing, the not-found error saying what part is. */
  private async stored(artifact: Artifact): Promise<string> {
    const key = keyOf(artifact);
    this.locate(key);
    await this.ensureRoot();
    const source = await this.beneath(key);
    await lstat(source).catch(async () => {
      throw new ArtifactNotFoundError(this.describe(artifact), await this.missingPart(key));
    });
    return source;
  }

  private beneath(key: string): Promise<string> {
    return resolveBeneath(this.root, key).catch((error: unknown) => {
      throw error instanceof BeneathError ? new Error(`key ${key}: ${error.message}`) : error;
    });
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
      if (stored.endsWith('.tgz')) return `${stored} is an archive, whose contents have no keys of their own`;
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

function keyOf(artifact: Artifact): string {
  if (typeof artifact.key !== 'string') throw new Error(`artifact "${artifact.name}" has no key in the local artifact repository`);
  return artifact.key;
}

import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from './artifact-store.js';
import { ArtifactNotFoundError } from './driver.js';
import { LocalDriver } from './local-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-local-driver-test-'));
const at = (key: string) => ({ name: 'a', key });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function storedTree(): Promise<LocalDriver> {
  const source = join(dir, 'source', 'tree');
  mkdirSync(join(source, 'sub'), { recursive: true });
  writeFileSync(join(source, 'sub', 'leaf'), 'leaf\n');
  writeFileSync(join(source, 'top'), 'top\n');
  writeFileSync(join(source, 'sub', 'data.tgz'), 'not an archive\n');
  const repository = new LocalDriver(join(dir, 'repository'));
  await repository.save(source, at('default/uid/pod/tree'));
  await repository.save(join(source, 'top'), at('default/uid/pod/file'));
  return repository;
}

describe('keys inside an unarchived artifact (an argument subPath)', () => {
  it('place the file or folder at that path of the stored tree', async () => {
    const repository = await storedTree();
    await repository.load(at('default/uid/pod/tree/sub/leaf'), join(dir, 'out', 'leaf'));
    expect(readFileSync(join(dir, 'out', 'leaf'), 'utf8')).toBe('leaf\n');
    await repository.load(at('default/uid/pod/tree/sub'), join(dir, 'out', 'sub'));
    expect(readFileSync(join(dir, 'out', 'sub', 'leaf'), 'utf8')).toBe('leaf\n');
  });

  it('copy a file of the tree as it is, even one whose name ends in .tgz, when told it is not an archive', async () => {
    await storedTree();
    const store = new ArtifactStore({ localRoot: join(dir, 'repository') });
    await store.load({ ...at('default/uid/pod/tree/sub/data.tgz'), archive: { none: {} } }, join(dir, 'out', 'data.tgz'), 'default');
    expect(readFileSync(join(dir, 'out', 'data.tgz'), 'utf8')).toBe('not an archive\n');
  });

  it('say which part of the stored artifact is missing', async () => {
    const repository = await storedTree();
    const load = (key: string) => repository.load(at(key), join(dir, 'out', 'missing'));
    await expect(load('default/uid/pod/tree/sub/nope')).rejects.toThrow(
      new ArtifactNotFoundError('key default/uid/pod/tree/sub/nope', 'folder default/uid/pod/tree/sub holds no nope'),
    );
    await expect(load('default/uid/pod/file/inside')).rejects.toThrow('key default/uid/pod/file/inside is not in the artifact repository: default/uid/pod/file is a file, which has no path inside inside it');
    // A key merely absent keeps the short message.
    await expect(load('default/uid/pod/gone.tgz')).rejects.toThrow(/^key default\/uid\/pod\/gone\.tgz is not in the artifact repository$/);
  });
});

describe('links in what nodes stored', () => {
  it('are never followed by a key: an artifact that is a link, then one inside it, does not write or read through it', async () => {
    const outside = mkdtempSync(join(dir, 'outside-'));
    writeFileSync(join(outside, 'secret'), 'secret\n');
    const link = join(dir, 'link');
    symlinkSync(outside, link);
    const repository = new LocalDriver(join(dir, 'linked-repository'));
    // A node's output `a` that is a link (saved as it is, archive none), then an output at `a/evil`.
    await repository.save(link, at('default/uid/pod/a'));
    const evil = join(dir, 'evil');
    writeFileSync(evil, 'evil\n');
    await expect(repository.save(evil, at('default/uid/pod/a/evil'))).rejects.toThrow('"default/uid/pod/a" is a symbolic link, which is not followed here');
    expect(existsSync(join(outside, 'evil'))).toBe(false);
    await expect(repository.load(at('default/uid/pod/a/secret'), join(dir, 'read'))).rejects.toThrow(
      'key default/uid/pod/a/secret: "default/uid/pod/a" is a symbolic link, which is not followed here',
    );
    expect(existsSync(join(dir, 'read'))).toBe(false);
  });

  it('a repository folder that is a link or belongs to another user is refused', async () => {
    const planted = join(dir, 'planted-repository');
    symlinkSync(mkdtempSync(join(dir, 'elsewhere-')), planted);
    await expect(new LocalDriver(planted).save(join(dir, 'evil'), at('default/uid/pod/x'))).rejects.toThrow(
      `the artifact repository ${planted} is not a folder (a symbolic link or a file is there): remove it, or choose another folder`,
    );
    const foreign = mkdtempSync(join(dir, 'foreign-'));
    chownSync(foreign, 65534, 65534);
    await expect(new LocalDriver(foreign).load(at('default/uid/pod/x'), join(dir, 'read'))).rejects.toThrow(
      `the artifact repository ${foreign} belongs to user 65534, not to this worker's user ${process.getuid?.()}: another user made it first; remove it, or choose another folder`,
    );
  });
});

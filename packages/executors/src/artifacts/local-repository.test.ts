import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactNotFoundError, LocalArtifactRepository } from './local-repository.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-local-repository-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function storedTree(): Promise<LocalArtifactRepository> {
  const source = join(dir, 'source', 'tree');
  mkdirSync(join(source, 'sub'), { recursive: true });
  writeFileSync(join(source, 'sub', 'leaf'), 'leaf\n');
  writeFileSync(join(source, 'top'), 'top\n');
  writeFileSync(join(source, 'sub', 'data.tgz'), 'not an archive\n');
  const repository = new LocalArtifactRepository(join(dir, 'repository'));
  await repository.save('wf/pod/tree', source);
  await repository.save('wf/pod/file', join(source, 'top'));
  return repository;
}

describe('keys inside an unarchived artifact (an argument subPath)', () => {
  it('place the file or folder at that path of the stored tree', async () => {
    const repository = await storedTree();
    await repository.load('wf/pod/tree/sub/leaf', join(dir, 'out', 'leaf'));
    expect(readFileSync(join(dir, 'out', 'leaf'), 'utf8')).toBe('leaf\n');
    await repository.load('wf/pod/tree/sub', join(dir, 'out', 'sub'));
    expect(readFileSync(join(dir, 'out', 'sub', 'leaf'), 'utf8')).toBe('leaf\n');
  });

  it('copy a file of the tree as it is, even one whose name ends in .tgz, when told it is not an archive', async () => {
    const repository = await storedTree();
    await repository.load('wf/pod/tree/sub/data.tgz', join(dir, 'out', 'data.tgz'), true);
    expect(readFileSync(join(dir, 'out', 'data.tgz'), 'utf8')).toBe('not an archive\n');
  });

  it('say which part of the stored artifact is missing', async () => {
    const repository = await storedTree();
    const load = (key: string) => repository.load(key, join(dir, 'out', 'missing'));
    await expect(load('wf/pod/tree/sub/nope')).rejects.toThrow(
      new ArtifactNotFoundError('wf/pod/tree/sub/nope', 'folder wf/pod/tree/sub holds no nope'),
    );
    await expect(load('wf/pod/file/inside')).rejects.toThrow('key wf/pod/file/inside is not in the artifact repository: wf/pod/file is a file, which has no path inside inside it');
    // A key merely absent keeps the short message.
    await expect(load('wf/pod/gone.tgz')).rejects.toThrow(/^key wf\/pod\/gone\.tgz is not in the artifact repository$/);
  });
});

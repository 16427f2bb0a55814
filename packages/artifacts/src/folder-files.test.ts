import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesUnder, placeBeneath } from './folder-files.js';

let folder: string;
beforeEach(async () => void (folder = await mkdtemp(join(tmpdir(), 'regatta-folder-files-'))));
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('files under a folder', () => {
  it('are its files at any depth, as sorted /-separated paths, without the folders themselves', async () => {
    await mkdir(join(folder, 'b', 'c'), { recursive: true });
    await mkdir(join(folder, 'empty'));
    await writeFile(join(folder, 'z.txt'), '');
    await writeFile(join(folder, 'b', 'c', 'd.txt'), '');
    expect(await filesUnder(folder, 'store')).toEqual(['b/c/d.txt', 'z.txt']);
  });

  it('refuse a symbolic link, naming it, rather than carry what it points at into the store', async () => {
    await symlink('/etc/hostname', join(folder, 'host'));
    await expect(filesUnder(folder, 'azure container c')).rejects.toThrow('azure container c: host is a symbolic link');
  });
});

describe('placing an object beneath a destination', () => {
  it('joins its name under the destination', () => {
    expect(placeBeneath('/dest', 'a/b.txt', 'store')).toBe('/dest/a/b.txt');
  });

  it('refuses a name that climbs out, or is absolute, or names the destination itself', () => {
    for (const name of ['../escape', 'a/../../escape', '/etc/passwd', '', '.']) {
      expect(() => placeBeneath('/dest', name, 'azure container c')).toThrow('azure container c: the object named');
    }
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import * as yazl from 'yazl';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from './artifact-store.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-archive-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const fresh = (name: string) => join(dir, `${name}-${++count}`);

/** A local store holding `file` at default/uid/pod/<name>, as a node's output would be. */
function storeHolding(file: string, limits?: { maxBytes: number; maxEntries: number }) {
  const root = fresh('repository');
  mkdirSync(join(root, 'default', 'uid', 'pod'), { recursive: true });
  writeFileSync(join(root, 'default', 'uid', 'pod', 'in.tgz'), readFileSync(file));
  const store = new ArtifactStore({ localRoot: root, ...(limits && { limits }) });
  return (destination: string) => store.load({ name: 'in', key: 'default/uid/pod/in.tgz' }, destination, 'default');
}

function zipOf(entries: [name: string, content: string][]): Promise<string> {
  const path = fresh('zip');
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => (writeFileSync(path, Buffer.concat(chunks)), resolve(path)));
    zip.outputStream.on('error', reject);
  });
}

describe('archive strategies through the store', () => {
  const tree = fresh('tree');
  mkdirSync(join(tree, 'sub'), { recursive: true });
  writeFileSync(join(tree, 'sub', 'leaf'), 'leaf\n');
  writeFileSync(join(tree, 'top'), 'top\n');
  symlinkSync('sub/leaf', join(tree, 'inner-link'));

  it.each([
    ['tar', { tar: { compressionLevel: 9 } }],
    ['zip', { zip: {} }],
    ['none', { none: {} }],
  ])('%s: a folder and a file come back as they were, links inside kept as links', async (_name, archive) => {
    const store = new ArtifactStore({ localRoot: fresh('repository') });
    const folder = { name: 'f', key: `default/uid/pod/folder-${_name}`, archive };
    await store.save(tree, folder, 'default');
    const back = fresh('back');
    await store.load(folder, back, 'default');
    expect(readFileSync(join(back, 'sub', 'leaf'), 'utf8')).toBe('leaf\n');
    expect(readlinkSync(join(back, 'inner-link'))).toBe('sub/leaf');
    const file = { name: 'f', key: `default/uid/pod/file-${_name}`, archive };
    await store.save(join(tree, 'top'), file, 'default');
    await store.load(file, join(back, 'top-again'), 'default');
    expect(readFileSync(join(back, 'top-again'), 'utf8')).toBe('top\n');
  });

  it('stores tar+gzip by default, which the system tar reads', async () => {
    const root = fresh('repository');
    await new ArtifactStore({ localRoot: root }).save(join(tree, 'top'), { name: 'f', key: 'default/uid/pod/f.tgz' }, 'default');
    expect(execFileSync('tar', ['-tzf', join(root, 'default/uid/pod/f.tgz')], { encoding: 'utf8' })).toBe('top\n');
  });

  it('unpacks an archive of several entries as a folder at the path, and places a file that is no archive as it is', async () => {
    const several = fresh('several.tgz');
    await tar.c({ file: several, gzip: true, cwd: tree }, ['top', 'sub']);
    const into = fresh('placed');
    await storeHolding(several)(into);
    expect(readFileSync(join(into, 'top'), 'utf8')).toBe('top\n');
    const plain = fresh('plain');
    writeFileSync(plain, 'just text, though the key ends in .tgz\n');
    await storeHolding(plain)(join(into, 'plain'));
    expect(readFileSync(join(into, 'plain'), 'utf8')).toBe('just text, though the key ends in .tgz\n');
  });
});

describe('unsafe archives', () => {
  const refused = async (archive: string, reason: string | RegExp, limits?: { maxBytes: number; maxEntries: number }) => {
    const destination = join(fresh('node'), 'in');
    mkdirSync(join(destination, '..'), { recursive: true });
    await expect(storeHolding(archive, limits)(destination)).rejects.toThrow(reason);
    expect(existsSync(destination)).toBe(false);
  };

  it('with .. or an absolute path are refused, naming the artifact and the entry', async () => {
    // tar keeps such paths only when told to (preservePaths), as a hostile node's tar would.
    const climbing = fresh('climbing.tgz');
    mkdirSync(join(dir, 'inner'), { recursive: true });
    writeFileSync(join(dir, 'escaped'), 'x');
    await tar.c({ file: climbing, gzip: true, cwd: join(dir, 'inner'), preservePaths: true }, ['../escaped']);
    await refused(climbing, 'key default/uid/pod/in.tgz: unsafe archive refused: entry ../escaped climbs out with ".."');
    const absolute = fresh('absolute.tgz');
    await tar.c({ file: absolute, gzip: true, cwd: '/', preservePaths: true }, [join(dir, 'escaped')]);
    await refused(absolute, `unsafe archive refused: entry ${join(dir, 'escaped')} has an absolute path`);
  });

  it('with a link leading out, or a device, are refused', async () => {
    const links = fresh('links');
    mkdirSync(join(links, 'd'), { recursive: true });
    symlinkSync('/etc', join(links, 'd', 'abs'));
    const absolute = fresh('abs-link.tgz');
    await tar.c({ file: absolute, gzip: true, cwd: links }, ['d']);
    await refused(absolute, 'entry d/abs links to the absolute path /etc');
    rmSync(join(links, 'd', 'abs'));
    symlinkSync('../../x', join(links, 'd', 'up'));
    const up = fresh('up-link.tgz');
    await tar.c({ file: up, gzip: true, cwd: links }, ['d']);
    await refused(up, 'entry d/up links to ../../x, outside the artifact');
    const device = fresh('device.tgz');
    // node-tar does not pack devices; the system's tar does.
    execFileSync('tar', ['-czf', device, '-C', '/dev', 'null']);
    await refused(device, 'entry null is a device, FIFO or other special file');
  });

  it('that write through a link they made are refused', async () => {
    // `d` a link to `sub` (inside, allowed), then `d/x`: written through the link, which may lead anywhere later.
    const linked = fresh('linked');
    const files = fresh('through');
    mkdirSync(linked);
    mkdirSync(join(files, 'd'), { recursive: true });
    symlinkSync('sub', join(linked, 'd'));
    writeFileSync(join(files, 'd', 'x'), 'x');
    const through = fresh('through.tgz');
    execFileSync('tar', ['-czf', through, '-C', linked, 'd', '-C', files, 'd/x']);
    await refused(through, 'key default/uid/pod/in.tgz: unsafe archive refused: "d" is a symbolic link, which is not followed here');
  });

  it('in zip form are refused too', async () => {
    // yazl refuses to write `..`; the bytes of a same-length name are swapped in afterwards.
    const zip = await zipOf([['xx/evil', 'evil']]);
    writeFileSync(zip, Buffer.from(readFileSync(zip).toString('latin1').replaceAll('xx/evil', '../evil'), 'latin1'));
    await refused(zip, /unsafe archive refused|invalid relative path/);
  });

  it('that are damaged fail naming the artifact', async () => {
    const whole = fresh('whole.tgz');
    const files = fresh('damaged');
    mkdirSync(files);
    writeFileSync(join(files, 'f'), 'x'.repeat(100_000));
    await tar.c({ file: whole, gzip: true, cwd: files }, ['f']);
    const cut = fresh('cut.tgz');
    writeFileSync(cut, readFileSync(whole).subarray(0, 200));
    await refused(cut, /^key default\/uid\/pod\/in\.tgz: cannot unpack: /);
  });

  it('past the caps on bytes or entries are refused', async () => {
    const big = await zipOf([['a', 'x'.repeat(100)], ['b', 'y']]);
    await refused(big, 'unsafe archive refused: more than 50 bytes unpacked (at a)', { maxBytes: 50, maxEntries: 10 });
    const many = fresh('many.tgz');
    const files = fresh('files');
    mkdirSync(files);
    for (let i = 0; i < 5; i++) writeFileSync(join(files, `f${i}`), '');
    await tar.c({ file: many, gzip: true, cwd: files }, ['.']);
    await refused(many, /unsafe archive refused: more than 3 entries/, { maxBytes: 1000, maxEntries: 3 });
  });
});

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeDir } from './node-dir.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-node-dir-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('NodeDir and the filesystem of its containers', () => {
  it('with a container root: /tmp and volumes map to their folders, other paths to the layer where written, else to the host', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'root', 0, 'container');
    const volume = await dir.emptyDir('work');
    const fs = await dir.containerFs('main', [{ source: volume, target: '/mnt/vol' }]);
    const upper = fs.mounts.root!.upper;
    expect(fs.defaultCwd).toBe('/');
    expect(fs.hostPath('/tmp/out.txt', '/')).toBe(join(dir.tmp, 'out.txt'));
    expect(fs.hostPath('data/x', '/mnt/vol')).toBe(join(volume, 'data', 'x'));
    expect(existsSync(join(upper, 'mnt', 'vol'))).toBe(true); // the mount's target, made in the layer
    const underTmp = await dir.containerFs('side', [{ source: volume, target: '/tmp/vol' }]);
    expect(existsSync(join(dir.tmp, 'vol'))).toBe(true); // under /tmp: in the node's /tmp, which is mounted there
    expect(existsSync(join(underTmp.mounts.root!.upper, 'tmp', 'vol'))).toBe(false);
    expect(fs.hostPath('/etc/hostname', '/')).toBe('/etc/hostname');
    expect(fs.ownPath('/etc/hostname', '/')).toBe(join(upper, 'etc', 'hostname'));
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc', 'hostname'), 'mine');
    expect(fs.hostPath('/etc/hostname', '/')).toBe(join(upper, 'etc', 'hostname'));
    await dir.remove();
  });

  it('with a private /tmp only: /tmp paths map into the node folder, other paths are the host\'s and not its own', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'tmp', 0, 'namespaces');
    const fs = await dir.containerFs('main', []);
    expect(fs.defaultCwd).toBe('/tmp');
    expect(fs.hostPath('out.txt', '/tmp/work')).toBe(join(dir.tmp, 'work', 'out.txt'));
    expect(fs.hostPath('/tmp/../etc/hostname', '/')).toBe('/etc/hostname');
    expect(fs.hostPath('/tmpfile', '/')).toBe('/tmpfile');
    expect(fs.ownPath('/etc/hostname', '/')).toBeUndefined();
    // A volume under /tmp gets its mount target in the node's /tmp, not in the volume's own folder.
    const volume = await dir.emptyDir('scratch');
    await dir.containerFs('side', [{ source: volume, target: '/tmp/scratch' }]);
    expect(existsSync(join(dir.tmp, 'scratch'))).toBe(true);
    await dir.remove();
  });

  it('maps nothing when the node shares the host /tmp', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'shared', 0, 'process-group');
    const fs = await dir.containerFs('main', []);
    expect(fs.tmpView).toBe(dir.tmp);
    expect(fs.hostPath('/tmp/out.txt', '/')).toBe('/tmp/out.txt');
    expect(fs.ownPath('/tmp/out.txt', '/')).toBeUndefined();
    expect(fs.ownPath('in/x', dir.tmp)).toBe(join(dir.tmp, 'in', 'x'));
    await dir.remove();
  });

  it('starts an attempt from a fresh folder and removes it, and the workflow folder, afterwards', async () => {
    const first = await NodeDir.create(workDir, 'wf', 'node', 1, 'container');
    writeFileSync(join(first.tmp, 'leftover'), '');
    await first.containerFs('main', []);
    const again = await NodeDir.create(workDir, 'wf', 'node', 1, 'container');
    expect(existsSync(join(again.tmp, 'leftover'))).toBe(false);
    await again.remove();
    expect(existsSync(join(workDir, 'wf'))).toBe(false);
  });

  it('stages a script where Argo does in a root of its own, else in the node /tmp; executable', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'script', 0, 'container');
    const rooted = await dir.containerFs('main', []);
    expect(await dir.writeScript(rooted, 'echo hi')).toBe('/argo/staging/script');
    expect(readFileSync(join(rooted.mounts.root!.upper, 'argo', 'staging', 'script'), 'utf8')).toBe('echo hi');
    const tmpOnly = await NodeDir.create(workDir, 'uid', 'script-tmp', 0, 'namespaces');
    expect(await tmpOnly.writeScript(await tmpOnly.containerFs('main', []), 'echo hi')).toBe('/tmp/.regatta/script');
    expect(readFileSync(join(tmpOnly.tmp, '.regatta', 'script'), 'utf8')).toBe('echo hi');
    await Promise.all([dir.remove(), tmpOnly.remove()]);
  });
});

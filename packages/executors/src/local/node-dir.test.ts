import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeDir } from './node-dir.js';

const workDir = mkdtempSync(join(tmpdir(), 'regatta-node-dir-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('NodeDir', () => {
  it('maps /tmp paths into its own tmp when the node has a private /tmp, and leaves other paths alone', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'node', 0, true);
    expect(dir.tmp).toBe(join(workDir, 'uid', 'node-0', 'tmp'));
    expect(dir.hostPath('/tmp/out.txt', '/')).toBe(join(dir.tmp, 'out.txt'));
    expect(dir.hostPath('out.txt', '/tmp/work')).toBe(join(dir.tmp, 'work', 'out.txt'));
    expect(dir.hostPath('/tmp/../etc/hostname', '/')).toBe('/etc/hostname');
    expect(dir.hostPath('/tmpfile', '/')).toBe('/tmpfile');
    await dir.remove();
  });

  it('maps nothing when the node shares the host /tmp', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'shared', 0, false);
    expect(dir.tmpView).toBe(dir.tmp);
    expect(dir.hostPath('/tmp/out.txt', '/')).toBe('/tmp/out.txt');
    await dir.remove();
  });

  it('starts an attempt from a fresh folder and removes it, and the workflow folder, afterwards', async () => {
    const first = await NodeDir.create(workDir, 'wf', 'node', 1, true);
    writeFileSync(join(first.tmp, 'leftover'), '');
    const again = await NodeDir.create(workDir, 'wf', 'node', 1, true);
    expect(existsSync(join(again.tmp, 'leftover'))).toBe(false);
    await again.remove();
    expect(existsSync(join(workDir, 'wf'))).toBe(false);
  });

  it('writes a script where the node sees it, executable', async () => {
    const dir = await NodeDir.create(workDir, 'uid', 'script', 0, true);
    expect(await dir.writeScript('echo hi')).toBe('/tmp/.regatta/script');
    expect(readFileSync(join(dir.tmp, '.regatta', 'script'), 'utf8')).toBe('echo hi');
    await dir.remove();
  });
});

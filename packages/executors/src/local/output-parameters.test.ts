import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PARAMETER_LIMIT, readOutputParameters } from './output-parameters.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-parameters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const inDir = (path: string) => join(dir, path);

describe('readOutputParameters', () => {
  it("reads each file's content with one trailing newline trimmed, as Argo does", async () => {
    writeFileSync(inDir('a'), 'alpha\n\n');
    writeFileSync(inDir('b'), 'beta');
    const read = await readOutputParameters(
      [
        { name: 'a', valueFrom: { path: 'a' } },
        { name: 'b', valueFrom: { path: 'b' } },
        { name: 'ignored', valueFrom: { jsonPath: '{.x}' } },
      ],
      inDir,
    );
    expect(read).toEqual({ parameters: [{ name: 'a', value: 'alpha\n' }, { name: 'b', value: 'beta' }] });
  });

  it('takes valueFrom.default when the file is missing', async () => {
    const read = await readOutputParameters([{ name: 'p', valueFrom: { path: 'none', default: 'fallback' } }], inDir);
    expect(read).toEqual({ parameters: [{ name: 'p', value: 'fallback' }] });
  });

  it('reports a missing file without a default in the words of the system, and reads the others', async () => {
    writeFileSync(inDir('c'), 'gamma');
    const read = await readOutputParameters(
      [
        { name: 'p', valueFrom: { path: '/tmp/none' } },
        { name: 'c', valueFrom: { path: 'c' } },
      ],
      (path) => inDir(path.replace('/tmp/', '')),
    );
    expect(read).toEqual({
      parameters: [{ name: 'c', value: 'gamma' }],
      error: 'failed to read output parameter "p" from /tmp/none: no such file or directory',
    });
  });

  it('refuses a file over 1 MiB', async () => {
    writeFileSync(inDir('big'), Buffer.alloc(PARAMETER_LIMIT + 1, 'x'));
    const read = await readOutputParameters([{ name: 'big', valueFrom: { path: 'big' } }], inDir);
    expect(read.error).toBe(`failed to read output parameter "big" from big: larger than the limit of ${PARAMETER_LIMIT} bytes`);
  });

  it('does not hang on a FIFO left at the path', async () => {
    execFileSync('mkfifo', [inDir('fifo')]);
    const read = await readOutputParameters([{ name: 'f', valueFrom: { path: 'fifo' } }], inDir);
    expect(read.error).toBe('failed to read output parameter "f" from fifo: not a regular file');
  });
});

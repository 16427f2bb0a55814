import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCommand } from './command-resolve.js';

const dir = mkdtempSync(join(tmpdir(), 'regatta-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'bin'));
writeFileSync(join(dir, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
writeFileSync(join(dir, 'bin', 'data'), '');
chmodSync(join(dir, 'bin', 'data'), 0o644);

describe('resolveCommand', () => {
  it('searches a bare name on PATH in order', () => {
    expect(resolveCommand('tool', `/nonexistent:${join(dir, 'bin')}`)).toBe(join(dir, 'bin', 'tool'));
    expect(resolveCommand('cowsay', `/nonexistent:${join(dir, 'bin')}`)).toBeUndefined();
  });

  it('checks a path with a slash as it is, without searching PATH', () => {
    expect(resolveCommand(join(dir, 'bin', 'tool'), '')).toBe(join(dir, 'bin', 'tool'));
    expect(resolveCommand('bin/tool', join(dir, 'bin'))).toBeUndefined();
  });

  it('finds relative paths and names through the given mapping to host paths', () => {
    const fromDir = (path: string) => join(dir, path);
    expect(resolveCommand('./bin/tool', '', fromDir)).toBe('./bin/tool');
    expect(resolveCommand('tool', '/bin', fromDir)).toBe('/bin/tool');
  });

  it('does not take a file without execute permission or a directory', () => {
    expect(resolveCommand('data', join(dir, 'bin'))).toBeUndefined();
    expect(resolveCommand(join(dir, 'bin'), '')).toBeUndefined();
  });
});

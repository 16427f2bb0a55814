import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { NodeRunRequest, RunContext } from '../executor.js';
import { LocalExecutor } from './local-executor.js';

const workDir = mkdtempSync('/tmp/regatta-images-');
/** Outside /tmp, so that it is the same folder inside the sandbox. */
const hostDir = mkdtempSync('/var/tmp/regatta-images-');
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});
const executor = new LocalExecutor({ workDir });

function request(container: NodeRunRequest['container'], extra: Partial<NodeRunRequest> = {}): NodeRunRequest {
  return { workflow: { name: 'wf', namespace: 'default', uid: 'uid' }, nodeId: `node-${randomUUID().slice(0, 8)}`, nodeName: 'wf', attempt: 0, templateName: 'main', container, ...extra };
}

const context = (): RunContext => ({ signal: new AbortController().signal, onLog: () => undefined });
const argosay = (...args: string[]) => request({ image: 'argoproj/argosay:v2', args });

describe('the local executor runs the entrypoint of a known image', () => {
  it('runs the args of an alpine container as its command, as Docker does for an image without ENTRYPOINT', async () => {
    expect(await executor.run(request({ image: 'alpine:3.23', args: ['echo', 'hi'] }), context())).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hi' } });
    expect(await executor.run(request({ image: 'alpine' }), context())).toMatchObject({ phase: 'Succeeded', outputs: { result: '' } });
  });

  it("runs Regatta's argosay for argoproj/argosay:v2", async () => {
    expect(await executor.run(argosay('echo', 'hello'), context())).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hello' } });
    expect(await executor.run(argosay(), context())).toMatchObject({ phase: 'Succeeded', outputs: { result: 'hello argo' } });
  });

  it("reads an output parameter that argosay echoed to a file in the node's /tmp", async () => {
    const result = await executor.run(argosay('echo', 'real-value', '/tmp/out/x.txt'), context());
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: '' } });
    const withParameter = await executor.run(
      { ...argosay('echo', 'real-value', '/tmp/out/x.txt'), outputParameters: [{ name: 'x', valueFrom: { path: '/tmp/out/x.txt' } }] },
      context(),
    );
    expect(withParameter.outputs.parameters).toEqual([{ name: 'x', value: 'real-value' }]);
  });

  it("has the image's tools on its PATH and at their paths, for a shell too, inside its own root only", async () => {
    const shell = (image: string, script: string) => request({ image, command: ['sh', '-c', script] });
    const cowsay = await executor.run(shell('argoproj/argosay:v1', 'cowsay hello | head -2'), context());
    expect(cowsay).toMatchObject({ phase: 'Succeeded', outputs: { result: ' _______\n< hello >' } });
    const v2 = await executor.run(shell('argoproj/argosay:v2', '/argosay echo from-path && command -v cowsay'), context());
    expect(v2).toMatchObject({ phase: 'Succeeded', outputs: { result: 'from-path\n/usr/local/bin/cowsay' } });
    const plain = await executor.run(shell('alpine', 'command -v cowsay || echo none'), context());
    expect(plain.outputs.result).toBe('none');
  });

  it('fails argosay exit 1 with exit code 1', async () => {
    expect(await executor.run(argosay('exit', '1'), context())).toMatchObject({ phase: 'Failed', exitCode: 1, message: 'Error (exit code 1)' });
  });

  it('sleeps with argosay sleep 1s', async () => {
    const started = Date.now();
    expect(await executor.run(argosay('sleep', '1s'), context())).toMatchObject({ phase: 'Succeeded' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('passes and fails argosay assert_contains', async () => {
    const file = join(hostDir, `log-${randomUUID()}`);
    writeFileSync(file, 'starting\nall done\n');
    expect(await executor.run(argosay('assert_contains', file, 'done'), context())).toMatchObject({ phase: 'Succeeded', outputs: { result: 'all done' } });
    expect(await executor.run(argosay('assert_contains', file, 'failed'), context())).toMatchObject({ phase: 'Failed', exitCode: 1 });
  });

  it("runs Regatta's cowsay for argoproj/argosay:v1's cowsay", async () => {
    const result = await executor.run(request({ image: 'argoproj/argosay:v1', command: ['cowsay'], args: ['hello world'] }), context());
    expect(result.outputs.result).toContain('< hello world >\n -------------\n        \\   ^__^');
  });

  it('errors on an unknown image without a command, naming the image', async () => {
    expect(await executor.run(request({ image: 'example.com/team/tool:1.0', args: ['run'] }), context())).toMatchObject({
      phase: 'Error',
      message: `container "example.com/team/tool:1.0" has no command: the local executor does not know that image's entrypoint; give the template a command`,
    });
  });

  it('runs a python script template whose command is python on a host that has python3 only', async () => {
    const bin = mkdtempSync(join(hostDir, 'bin-'));
    writeFileSync(join(bin, 'python3'), '#!/bin/sh\necho python3 "$@"\n', { mode: 0o755 });
    const python3Only = new LocalExecutor({ workDir, isolation: 'none', hostEnv: { PATH: bin } });
    const result = await python3Only.run(request({ image: 'python:3.12', command: ['python'], args: ['-u'] }, { script: { source: 'print(1)' } }), context());
    expect(result.outputs.result).toMatch(/^python3 -u \/.*\/\.regatta\/script$/);
    const notPython = await python3Only.run(request({ image: 'alpine', command: ['python'] }), context());
    expect(notPython).toMatchObject({ phase: 'Error', message: 'command "python" not found on this host (it stands for image "alpine")' });
  });

  it('runs argosay from a package that lies under /tmp, which the node does not see', async () => {
    // A copy of this package's source under /tmp, run by vite-node (vitest's runner) in a worker process.
    const packageDir = mkdtempSync('/tmp/regatta-package-');
    try {
      const source = fileURLToPath(new URL('..', import.meta.url));
      cpSync(source, join(packageDir, 'src'), { recursive: true });
      const require = createRequire(import.meta.url);
      symlinkSync(join(dirname(require.resolve('vitest/package.json')), '..'), join(packageDir, 'node_modules'));
      const worker = join(packageDir, 'worker.ts');
      mkdirSync(join(packageDir, 'work'));
      writeFileSync(
        worker,
        `import { LocalExecutor } from './src/local/local-executor.js';
const executor = new LocalExecutor({ workDir: ${JSON.stringify(join(packageDir, 'work'))}, warn: (message) => console.error(message) });
const result = await executor.run(${JSON.stringify(argosay('echo', 'from /tmp'))}, { signal: new AbortController().signal, onLog: () => undefined });
console.log(JSON.stringify(result));
`,
      );
      const viteNode = join(dirname(require.resolve('vite-node')), '..', 'vite-node.mjs');
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [viteNode, worker], { cwd: packageDir });
      expect(stderr).toBe('');
      expect(JSON.parse(stdout)).toMatchObject({ phase: 'Succeeded', outputs: { result: 'from /tmp' } });
    } finally {
      rmSync(packageDir, { recursive: true, force: true });
    }
  });
});

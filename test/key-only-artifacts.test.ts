// Argo's key-only-artifact example through `regatta run`: without a repository of another store, the
// key-only `s3: {key: …}` locations are keys of the local artifact folder, in the workflow's namespace.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeByDisplayName, runYaml } from './support/run-yaml.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-key-only-'));
const artifactsDir = join(dir, 'artifacts');
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

const KEY_ONLY = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: key-only-artifacts-
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: generate
            template: generate
          - name: consume
            template: consume
            dependencies:
              - generate
    - name: generate
      container:
        image: argoproj/argosay:v2
        args: [ echo, hello, /mnt/file ]
      outputs:
        artifacts:
          - name: file
            path: /mnt/file
            s3:
              key: my-file
    - name: consume
      container:
        image: argoproj/argosay:v2
        args: [cat, /tmp/file]
      inputs:
        artifacts:
          - name: file
            path: /tmp/file
            s3:
              key: my-file
`;

describe('key-only artifacts', () => {
  it("pass a file through the local folder under the namespace's key, as Argo's example does through its repository", async () => {
    const { code, workflow } = await runYaml(dir, 'key-only', KEY_ONLY, prefix, { REGATTA_ARTIFACTS_DIR: artifactsDir });
    expect(code).toBe(0);
    expect(nodeByDisplayName(workflow, 'generate').outputs?.artifacts).toEqual([{ name: 'file', path: '/mnt/file', key: 'default/my-file' }]);
    expect(existsSync(join(artifactsDir, 'default/my-file'))).toBe(true);
    expect(nodeByDisplayName(workflow, 'consume').outputs?.result).toBe('hello');
  });
});

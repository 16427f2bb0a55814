// Bad input is refused before anything is stored, with the file, line and field named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { regatta } from './support/cli.js';
import { keysUnder, removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-bad-'));
afterAll(() => removePrefix(prefix));

const HEAD = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: bad-}
spec:
`;

const cases: { name: string; yaml: string; args?: string[]; expect: RegExp }[] = [
  {
    name: 'malformed YAML',
    yaml: `${HEAD}  entrypoint: main\n  templates:\n  - name: main\n    container: {image: busybox, command: [echo\n`,
    expect: /bad\.yaml:\d+:\d+/,
  },
  {
    name: 'an unknown template',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: nope}
`,
    expect: /bad\.yaml:9:29: spec\.templates\[0\]\.steps\[0\]\[0\]\.template: .*"nope"/,
  },
  {
    name: 'a missing required parameter',
    yaml: `${HEAD}  entrypoint: main
  arguments:
    parameters:
    - name: message
  templates:
  - name: main
    container: {image: busybox, command: [echo, "{{workflow.parameters.message}}"]}
`,
    expect: /bad\.yaml:\d+:\d+: spec\.arguments\.parameters\[0\].*message/,
  },
  {
    name: 'a DAG cycle',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: c, dependencies: [b]}
      - {name: b, template: c, dependencies: [a]}
  - name: c
    container: {image: busybox, command: ["true"]}
`,
    expect: /bad\.yaml:\d+:\d+: .*cycle: (a → b → a|b → a → b)/,
  },
  {
    name: 'duplicate template names',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: ["true"]}
  - name: main
    container: {image: busybox, command: ["true"]}
`,
    expect: /bad\.yaml:9:\d+: spec\.templates\[1\]\.name: .*main/,
  },
  {
    name: 'an unclosed {{ tag',
    yaml: `${HEAD}  entrypoint: main
  arguments:
    parameters: [{name: who, value: "{{workflow.name"}]
  templates:
  - name: main
    container: {image: busybox, command: [echo, hi]}
`,
    expect: /bad\.yaml: spec\.arguments: .*"}}"/,
  },
  {
    name: 'depends logic that does not parse',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: c}
      - {name: b, template: c, depends: "a &&"}
  - name: c
    container: {image: busybox, command: ["true"]}
`,
    expect: /bad\.yaml: spec\.templates\[0\]\.dag\.tasks\[1\]\.depends: /,
  },
  {
    name: 'a feature not supported yet',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    plugin: {hello: {}}
`,
    expect: /spec\.templates\[0\]\.plugin: plugin is not supported by Regatta yet/,
  },
  {
    name: 'a volume name that would step out of its folder on the worker',
    yaml: `${HEAD}  entrypoint: main
  volumes: [{name: ../../escape, emptyDir: {}}]
  templates:
  - name: main
    container: {image: busybox, command: ["true"], volumeMounts: [{name: ../../escape, mountPath: /mnt}]}
`,
    expect: /bad\.yaml:6:\d+: spec\.volumes\[0\]\.name: volume name "\.\.\/\.\.\/escape" is not valid: it must be a DNS-1123 label/,
  },
  {
    name: 'an artifact name with a slash, which would be a path inside another artifact',
    yaml: `${HEAD}  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: ["true"]}
    outputs: {artifacts: [{name: a/evil, path: /tmp/x}]}
`,
    expect: /bad\.yaml:9:\d+: spec\.templates\[0\]\.outputs\.artifacts\[0\]\.name: artifact name "a\/evil" is not valid/,
  },
];

describe('bad input', () => {
  for (const testCase of cases) {
    it(`refuses ${testCase.name} with the place named, storing nothing`, async () => {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, testCase.yaml);
      for (const command of [['run', file], ['submit', file], ['lint', file]]) {
        const result = await regatta(command, prefix);
        expect(result.code, `${command[0]} exit code`).toBe(1);
        expect(result.stderr).toMatch(testCase.expect);
        expect(result.stdout).not.toContain('Succeeded');
      }
      expect(await keysUnder(prefix)).toEqual([]);
    });
  }

  it('lint accepts the examples', async () => {
    const result = await regatta(['lint', 'examples/hello-world.yaml', 'examples/dag-diamond.yaml'], prefix);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('examples/dag-diamond.yaml: no linting errors found');
  });
});

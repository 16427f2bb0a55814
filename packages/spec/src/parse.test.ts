import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, type LoadOptions } from './load.js';

const lint = (yaml: string, options?: LoadOptions) => lintWorkflow(yaml, 'wf.yaml', options).map(formatIssue);

const VALID = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hello-}
spec:
  entrypoint: main
  templates:
  - {name: main, container: {image: busybox, command: [echo, hi]}}
`;

describe('parsing workflow YAML', () => {
  it('names the line and column of a syntax error', () => {
    expect(lint(VALID.replace('entrypoint: main', 'entrypoint: main: x'))).toEqual(['wf.yaml:5:15: Nested mappings are not allowed in compact mappings']);
    expect(lint(VALID.replace('  templates:', ' templates:'))).toEqual(['wf.yaml:6:1: All mapping items must start at the same column']);
  });

  it('refuses a key written twice in one map, naming it', () => {
    expect(lint(`${VALID}  entrypoint: other\n`)).toEqual(['wf.yaml:8:3: key "entrypoint" is written twice in this map']);
  });

  it('refuses an empty document, or one of comments only', () => {
    expect(lint('')).toEqual(['wf.yaml:1:1: the document is empty']);
    expect(lint('# nothing yet\n---\n')).toEqual(['wf.yaml:1:1: the document is empty']);
  });

  it('refuses more than one document, pointing at the second, but skips empty ones around the first', () => {
    expect(lint(`${VALID}---\n${VALID}`)).toEqual(['wf.yaml:8:1: more than one YAML document: one workflow is expected here (regatta submit takes several)']);
    expect(lint(`---\n${VALID}---\n`)).toEqual([]);
  });

  it('refuses alias bombs but takes ordinary anchors and merge keys', () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
`;
    expect(lint(bomb)).toEqual(['wf.yaml:1:1: more than 100 alias expansions: refusing a possible alias bomb']);
    const merged = `${VALID.replace('  templates:', '  x-defaults: &box {image: busybox}\n  templates:')}  - name: other
    container:
      <<: *box
      command: [echo, "{{workflow.name}}"]
`;
    expect(lint(merged)).toEqual([]);
  });

  // Found by the fuzz suite (test/fuzz): the refusal's message was JavaScript's "Maximum call stack size exceeded".
  it('refuses a document nested too deeply, saying so', () => {
    const deep = (depth: number) => VALID.replace('  templates:', `  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n  templates:`);
    expect(lint(deep(100))).toEqual([]);
    for (const depth of [2_000, 100_000]) {
      const issues = lint(deep(depth));
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) expect(issue).toMatch(/^wf\.yaml:6:\d+: the document nests too deeply to be read$/);
    }
  });

  it('refuses documents over the size limit before parsing them', () => {
    expect(lint(VALID, { maxBytes: 100 })).toEqual([`wf.yaml: document is ${VALID.length} bytes, over the limit of 100`]);
    expect(lint(`# ${'x'.repeat(4 * 1024 * 1024)}\n${VALID}`)[0]).toMatch(/^wf\.yaml: document is \d+ bytes, over the limit of 4194304$/);
  });

  it('refuses a document that its aliases expand past the size limit', () => {
    // 60 aliases of a 100,000-character scalar: 6 MB once expanded, from a document of 100 KB.
    const big = VALID.replace('  templates:', `  x-big: &big "${'x'.repeat(100_000)}"\n  x-copies: [${Array(60).fill('*big').join(', ')}]\n  templates:`);
    expect(lint(big)).toEqual(['wf.yaml:1:1: aliases expand the document past the limit of 4194304 bytes']);
    expect(lint(big, { maxBytes: 8 * 1024 * 1024 })).toEqual([]);
  });
});

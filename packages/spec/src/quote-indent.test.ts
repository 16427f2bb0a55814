import { describe, expect, it } from 'vitest';
import { loadWorkflow } from './load.js';
import { indentQuotedContinuations } from './quote-indent.js';

describe("go-yaml's laxer quoted strings", () => {
  it('indent the lines of a quoted string that go back to its key, as Argo examples write them', () => {
    const text = `    container:\n      args: ["\n        echo hi &&\n      echo 'bye'\n      "]\n    other: x\n`;
    expect(indentQuotedContinuations(text)).toBe(`    container:\n      args: ["\n        echo hi &&\n       echo 'bye'\n       "]\n    other: x\n`);
  });

  it('know single quotes, escapes, comments and block scalars from an open quote', () => {
    expect(indentQuotedContinuations(`a: 'it''s\nb'\n`)).toBe(`a: 'it''s\n b'\n`);
    expect(indentQuotedContinuations(`- a: "say \\"hi\n  b"\n`)).toBe(`- a: "say \\"hi\n   b"\n`);
    expect(indentQuotedContinuations(`a: x # "not a string\nb: y\n`)).toBeUndefined();
    expect(indentQuotedContinuations(`a: it's plain\nb: y\n`)).toBeUndefined();
    expect(indentQuotedContinuations(`a: |\n  echo "open\nb: y\n`)).toBeUndefined();
  });

  it('load such a workflow with the value go-yaml gives', () => {
    const workflow = loadWorkflow(
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: quoted-}
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      command: [sh, -c]
      args: ["
        echo one &&
        echo 'two'
      "]
`,
      'wf.yaml',
    );
    expect(workflow.spec.templates?.[0]?.container?.args).toEqual([" echo one && echo 'two' "]);
  });
});

import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '@regatta/spec';
import { expressionIssues, MAX_EXPRESSION_TAGS } from './static-checks.js';

const withTags = (count: number) =>
  loadWorkflow(
    `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: many-tags-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox, command: [echo, ${Array(count).fill('"{{=1 + 1}}"').join(', ')}]}
`,
    'many-tags.yaml',
  );

describe('expression tags at submission', () => {
  it(`refuses a workflow of more than ${MAX_EXPRESSION_TAGS} tags, saying how many`, () => {
    expect(expressionIssues(withTags(MAX_EXPRESSION_TAGS + 1))).toEqual([
      { path: 'spec', message: `${MAX_EXPRESSION_TAGS + 1} expression tags ({{=…}}), over the limit of ${MAX_EXPRESSION_TAGS} per workflow` },
    ]);
  });

  it('accepts one at the limit', () => {
    expect(expressionIssues(withTags(MAX_EXPRESSION_TAGS))).toEqual([]);
  });
});

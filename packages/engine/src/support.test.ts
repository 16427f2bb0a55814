import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '@regatta/spec';
import { unsupportedFeatures } from './support.js';

describe('features not run yet', () => {
  it('are named with their place instead of being ignored', () => {
    const workflow = loadWorkflow(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: later-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: call, template: c, hooks: {running: {expression: "true", template: c}}}
  - name: c
    retryStrategy: {limit: 2, expression: 'true'}
    container: {image: busybox, command: ["true"]}
`,
      'later.yaml',
    );
    expect(unsupportedFeatures(workflow)).toEqual([
      { path: 'spec.templates[0].steps[0][0].hooks.running', feature: 'lifecycle hooks other than exit' },
      { path: 'spec.templates[1].retryStrategy.expression', feature: 'retryStrategy.expression' },
    ]);
  });
});

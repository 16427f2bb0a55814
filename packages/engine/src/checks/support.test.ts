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
    - - {name: call, template: c}
  - name: c
    plugin: {hello: {}}
  - name: d
    data:
      source: {artifactPaths: {name: logs, azure: {container: my-container}}}
      transformation: [{expression: data}]
  - name: e
    resource: {action: create, manifestFrom: {artifact: {name: manifest}}}
`,
      'later.yaml',
    );
    expect(unsupportedFeatures(workflow)).toEqual([
      { path: 'spec.templates[1].plugin', feature: 'plugin' },
      { path: 'spec.templates[2].data.source.artifactPaths.azure', feature: 'azure data sources (they need an artifact repository Regatta does not have)' },
      { path: 'spec.templates[3].resource.manifestFrom', feature: 'resource.manifestFrom' },
    ]);
  });
});

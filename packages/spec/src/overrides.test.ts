import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const YAML = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: overrides-}
spec:
  entrypoint: main
  arguments:
    parameters:
    - {name: who, value: world}
    - name: greeting
      valueFrom: {configMapKeyRef: {name: settings, key: greeting}}
  templates:
  - {name: main, container: {image: busybox, command: [echo, "{{workflow.parameters.who}}"]}}
  - {name: other, suspend: {}}
`;

describe('command-line overrides', () => {
  it('set a declared parameter (its value wins over valueFrom) and append undeclared ones, as argo -p does', () => {
    const options = { parameters: { who: 'you', greeting: 'hi', extra: 'x' } };
    const workflow = loadWorkflow(YAML, 'wf.yaml', options);
    expect(workflow.spec.arguments?.parameters).toEqual([
      { name: 'who', value: 'you' },
      { name: 'greeting', value: 'hi' },
      { name: 'extra', value: 'x' },
    ]);
    expect(options.parameters).toEqual({ who: 'you', greeting: 'hi', extra: 'x' });
  });

  it('add an arguments list to a workflow that has none', () => {
    const workflow = loadWorkflow(YAML.replace(/ {2}arguments:[^]*?(?= {2}templates:)/, ''), 'wf.yaml', { parameters: { who: 'me' } });
    expect(workflow.spec.arguments).toEqual({ parameters: [{ name: 'who', value: 'me' }] });
  });

  it('replace the entrypoint with --entrypoint', () => {
    expect(loadWorkflow(YAML, 'wf.yaml', { entrypoint: 'other' }).spec.entrypoint).toBe('other');
  });

  it('refuse a -p name that no parameter could have', () => {
    expect(lintWorkflow(YAML, 'wf.yaml', { parameters: { 'bad name': 'x' } }).map(formatIssue)).toEqual([
      'wf.yaml:7:5: spec.arguments: -p bad name=…: a parameter name is letters, digits, "_" or "-"',
    ]);
  });
});

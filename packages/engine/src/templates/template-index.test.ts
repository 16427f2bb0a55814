import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';
import type { WorkflowSpec } from '@regatta/spec';
import { TemplateIndex } from './template-index.js';
import { callName } from './call-spec.js';

describe('template sources', () => {
  it('runs inline steps inside a DAG task, finding the body again after a reload', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: inline-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - name: body
        inline:
          steps:
          - - {name: one, template: c}
          - - {name: two, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.reload().finish('one');
    expect(run.running()).toEqual(['two']);
    run.reload().finish('two');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('applies templateDefaults to every template, the template winning', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: defaults-}
spec:
  entrypoint: main
  templateDefaults:
    timeout: 30s
    container: {image: busybox, env: [{name: A, value: "1"}]}
  templates:
  - name: main
    steps:
    - - {name: plain, template: plain}
      - {name: own, template: own}
  - name: plain
    container: {command: ["true"]}
  - name: own
    timeout: 5s
    container: {image: alpine, command: ["true"]}
`).submit();
    expect(run.job('plain')).toMatchObject({ activeDeadlineSeconds: 30, container: { image: 'busybox', command: ['true'], env: [{ name: 'A', value: '1' }] } });
    expect(run.job('own')).toMatchObject({ activeDeadlineSeconds: 5, container: { image: 'alpine' } });
    expect(run.node('wf').type).toBe('Steps');
  });
});

describe('template facts computed once', () => {
  const spec = {
    templates: [
      { name: 'plain', dag: { tasks: [{ name: 'a', template: 'c' }] } },
      { name: 'hooked', dag: { tasks: [{ name: 'a', template: 'c', onExit: 'c' }] } },
      { name: 'stepHooks', steps: [[{ name: 'a', template: 'c' }], [{ name: 'b', template: 'c', hooks: { exit: { template: 'c' } } }]] },
      { name: 'c', container: { image: 'busybox', args: ['{{inputs.parameters.x}}'] } },
      { name: 'd', container: { image: 'busybox', args: ['hello'] } },
    ],
  } as unknown as WorkflowSpec;
  const index = new TemplateIndex(spec);

  it('knows which bodies have calls with hooks or exit handlers', () => {
    expect(index.callsHaveHooks(index.get('plain')!)).toBe(false);
    expect(index.callsHaveHooks(index.get('hooked')!)).toBe(true);
    expect(index.callsHaveHooks(index.get('stepHooks')!)).toBe(true);
    expect(index.callsHaveHooks(index.get('c')!)).toBe(false);
  });

  it('knows which templates hold no tags', () => {
    expect(index.isTagless(index.get('c')!)).toBe(false);
    expect(index.isTagless(index.get('d')!)).toBe(true);
  });

  it('finds a tag in a key, deep inside, or nowhere among other values', () => {
    expect(index.isTagless({ metadata: { labels: { '{{workflow.name}}': 'x' } } })).toBe(false);
    expect(index.isTagless({ a: [1, { b: [null, true, 'say {{item}}'] }] })).toBe(false);
    expect(index.isTagless({ a: [1, { b: [null, true, '{ {not a tag} }', 2.5] }], c: false })).toBe(true);
  });
});

describe('call names', () => {
  it("takes a loop item's suffix off a display name", () => {
    expect(callName('fan(0:a)')).toBe('fan');
    expect(callName('fan(1:[x y])')).toBe('fan');
    expect(callName('plain')).toBe('plain');
    expect(callName('odd(')).toBe('odd(');
  });
});

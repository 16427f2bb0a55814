import { describe, expect, it } from 'vitest';
import { Driver } from '../test-support/drive.js';

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

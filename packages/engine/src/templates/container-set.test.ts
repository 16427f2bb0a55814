import { describe, expect, it } from 'vitest';
import type { ContainerResult } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cs-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: group, template: group, arguments: {parameters: [{name: word, value: hi}]}}
      - name: after
        template: echo
        dependencies: [group]
        arguments: {parameters: [{name: x, value: "{{tasks.group.outputs.result}}"}]}
  - name: group
    inputs: {parameters: [{name: word}]}
    outputs: {parameters: [{name: p, valueFrom: {path: /tmp/p}}]}
    containerSet:
      retryStrategy: {retries: "2"}
      containers:
      - {name: a, image: alpine, command: [sh, -c, "echo {{inputs.parameters.word}} > /tmp/a"]}
      - {name: main, image: alpine, command: [cat, /tmp/a], dependencies: [a]}
      - {name: c, image: alpine, command: ["true"], dependencies: [a]}
  - name: echo
    inputs: {parameters: [{name: x}]}
    container: {image: alpine, command: [echo, "{{inputs.parameters.x}}"]}
`;

function finishSet(run: Driver, displayName: string, phase: 'Succeeded' | 'Failed', containers: ContainerResult[], result?: string) {
  const job = run.job(displayName);
  run.jobs.delete(job.nodeId);
  return run.applyRaw({
    type: 'nodeFinished',
    nodeId: job.nodeId,
    attempt: 0,
    phase,
    ...(phase === 'Failed' && { message: 'a: Error (exit code 1)' }),
    outputs: { ...(result !== undefined && { result }), exitCode: phase === 'Succeeded' ? '0' : '1' },
    containers,
  });
}

describe('containerSet', () => {
  it('runs as one Pod node with a Container child per container, in Argo’s graph, and leads on from main’s result', () => {
    const run = new Driver(yaml).submit();
    const job = run.job('group');
    expect(job.containerSet?.containers.map((c) => [c.name, c.command, c.dependencies])).toEqual([
      ['a', ['sh', '-c', 'echo hi > /tmp/a'], undefined],
      ['main', ['cat', '/tmp/a'], ['a']],
      ['c', ['true'], ['a']],
    ]);
    expect(job.containerSet?.retries).toBe(2);
    expect(job.container.command).toEqual(['cat', '/tmp/a']);
    const pod = run.node('wf.group');
    expect(pod).toMatchObject({ type: 'Pod', phase: 'Running' });
    const a = run.node('wf.group.a');
    expect(a).toMatchObject({ type: 'Container', displayName: 'a', phase: 'Pending', boundaryID: pod.boundaryID });
    expect(pod.children).toEqual([a.id]);
    expect(a.children).toEqual([run.node('wf.group.main').id, run.node('wf.group.c').id]);

    // A reload mid-run: the Container nodes are neither held, nor counted as DAG tasks.
    run.reload();
    expect(run.running()).toEqual(['group']);
    const at = (s: number) => `2026-01-01T00:00:0${s}Z`;
    finishSet(run.reload(), 'group', 'Succeeded', [
      { name: 'a', phase: 'Succeeded', exitCode: 0, startedAt: at(1), finishedAt: at(2) },
      { name: 'main', phase: 'Succeeded', exitCode: 0, startedAt: at(2), finishedAt: at(3) },
      { name: 'c', phase: 'Succeeded', exitCode: 0, startedAt: at(2), finishedAt: at(3) },
    ], 'hi');
    expect(run.node('wf.group.main')).toMatchObject({ phase: 'Succeeded', startedAt: at(2), finishedAt: at(3), outputs: { exitCode: '0' } });
    expect(run.job('after').container.command).toEqual(['echo', 'hi']);
    // The next task hangs off the containers nothing depends on, as in Argo.
    const after = run.node('wf.after');
    expect(run.node('wf.group.main').children).toEqual([after.id]);
    expect(run.node('wf.group.c').children).toEqual([after.id]);
    run.reload().finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a failed container fails the node; the containers the worker did not run keep what it reported', () => {
    const run = new Driver(yaml).submit();
    finishSet(run, 'group', 'Failed', [
      { name: 'a', phase: 'Failed', exitCode: 1, message: 'Error (exit code 1)' },
      { name: 'main', phase: 'Omitted', message: 'dependency "a" did not succeed' },
      { name: 'c', phase: 'Omitted', message: 'dependency "a" did not succeed' },
    ]);
    expect(run.node('wf.group')).toMatchObject({ phase: 'Failed', message: 'a: Error (exit code 1)' });
    expect(run.node('wf.group.a')).toMatchObject({ phase: 'Failed', outputs: { exitCode: '1' } });
    expect(run.node('wf.group.main')).toMatchObject({ phase: 'Omitted', message: 'dependency "a" did not succeed' });
    expect(run.running()).toEqual([]);
    expect(run.state.status.phase).toBe('Failed');
  });

  it('a stopped pod ends its open containers with it', () => {
    const run = new Driver(yaml).submit();
    run.reload().apply({ type: 'control', control: { action: 'terminate' } });
    expect(run.node('wf.group.a')).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(run.node('wf.group.main').phase).toBe('Failed');
    expect(run.state.status.phase).toBe('Failed');
  });

  it('carries retryStrategy.duration as the wait between runs of a container; a bad one errors the pod', () => {
    const timed = new Driver(yaml.replace('retryStrategy: {retries: "2"}', 'retryStrategy: {retries: "2", duration: "1.5s"}')).submit();
    expect(timed.job('group').containerSet).toMatchObject({ retries: 2, retryDelayMs: 1500 });
    const bad = new Driver(yaml.replace('retryStrategy: {retries: "2"}', 'retryStrategy: {retries: "2", duration: soon}')).submit();
    expect(bad.node('wf.group')).toMatchObject({ phase: 'Error', message: 'containerSet.retryStrategy.duration: "soon" is not a duration' });
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const retrying = (strategy: string, extra = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flaky, template: flaky}
${extra}
  - name: flaky
    retryStrategy: ${strategy}
    container: {image: busybox, command: [sh, -c, "echo attempt {{retries}}; exit 1"]}
`;

describe('retryStrategy', () => {
  it('runs attempts as children of a Retry node until one succeeds, passing {{retries}}', () => {
    const run = new Driver(retrying('{limit: 3}')).submit();
    expect(run.job('flaky(0)').container.command).toEqual(['sh', '-c', 'echo attempt 0; exit 1']);
    run.finish('flaky(0)', 'Failed');
    expect(run.job('flaky(1)').container.command).toEqual(['sh', '-c', 'echo attempt 1; exit 1']);
    run.reload().finish('flaky(1)', 'Succeeded', { result: 'ok', exitCode: '0' });
    const retry = run.node('wf[0].flaky');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Succeeded', outputs: { result: 'ok', exitCode: '0' } });
    expect(retry.children).toEqual([run.node('wf[0].flaky(0)').id, run.node('wf[0].flaky(1)').id]);
    expect(run.node('wf[0].flaky(1)').nodeFlag).toEqual({ retried: true });
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('reads a limit given by a tag over its inputs', () => {
    const run = new Driver(retrying('{limit: "{{inputs.parameters.tries}}"}').replace('  - name: flaky\n', '  - name: flaky\n    inputs: {parameters: [{name: tries, value: "1"}]}\n')).submit();
    run.finish('flaky(0)', 'Failed').finish('flaky(1)', 'Failed');
    expect(run.node('wf[0].flaky')).toMatchObject({ phase: 'Failed', message: 'No more retries left' });
  });

  it('stops after limit retries with "No more retries left" and the last phase', () => {
    const run = new Driver(retrying('{limit: 1}')).submit();
    run.finish('flaky(0)', 'Failed').finish('flaky(1)', 'Failed');
    expect(run.running()).toEqual([]);
    expect(run.node('wf[0].flaky')).toMatchObject({ phase: 'Failed', message: 'No more retries left' });
    expect(run.state.status.phase).toBe('Failed');
  });

  it('follows retryPolicy: OnError does not retry a failure, Always retries an error', () => {
    const onError = new Driver(retrying('{limit: 3, retryPolicy: OnError}')).submit().finish('flaky(0)', 'Failed');
    expect(onError.node('wf[0].flaky')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 1)' });
    const always = new Driver(retrying('{limit: 3, retryPolicy: Always}')).submit().finish('flaky(0)', 'Error');
    expect(always.running()).toEqual(['flaky(1)']);
    const transient = new Driver(retrying('{limit: 3, retryPolicy: OnTransientError}')).submit();
    const job = transient.job('flaky(0)');
    transient.jobs.delete(job.nodeId);
    transient.apply({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Error', message: 'worker could not run the node: connect ECONNREFUSED 127.0.0.1:6379' });
    expect(transient.running()).toEqual(['flaky(1)']);
    expect(new Driver(retrying('{limit: 3, retryPolicy: OnTransientError}')).submit().finish('flaky(0)', 'Error').node('wf[0].flaky').phase).toBe('Error');
    const onFailure = new Driver(retrying('{limit: 3}')).submit().finish('flaky(0)', 'Error');
    expect(onFailure.node('wf[0].flaky').phase).toBe('Error');
  });

  it('waits out a backoff by a timer: duration × factor^n, capped, within maxDuration', () => {
    const run = new Driver(retrying('{limit: 10, backoff: {duration: "2", factor: "3", cap: "10s", maxDuration: "1m"}}')).submit();
    const timers: string[] = [];
    const failAndTime = (name: string) => run.finish(name, 'Failed').node('wf[0].flaky').message;
    expect(failAndTime('flaky(0)')).toBe('Backoff for 2 seconds');
    expect(run.running()).toEqual([]);
    run.apply({ type: 'timerFired', nodeId: run.node('wf[0].flaky').id });
    expect(run.running()).toEqual(['flaky(1)']);
    expect(run.node('wf[0].flaky').message).toBeUndefined();
    // A timer delivered twice starts nothing more.
    run.apply({ type: 'timerFired', nodeId: run.node('wf[0].flaky').id });
    expect(run.running()).toEqual(['flaky(1)']);
    timers.push(failAndTime('flaky(1)')!);
    run.apply({ type: 'timerFired', nodeId: run.node('wf[0].flaky').id });
    timers.push(failAndTime('flaky(2)')!);
    expect(timers).toEqual(['Backoff for 6 seconds', 'Backoff for 10 seconds']);
  });

  it('asks for the timer as a command due after the backoff', () => {
    const run = new Driver(retrying('{limit: 2, backoff: {duration: "5s"}}')).submit();
    const job = run.job('flaky(0)');
    run.jobs.delete(job.nodeId);
    const result = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Failed' });
    expect(result.commands).toEqual([{ type: 'scheduleEvent', at: new Date(Date.parse(run.node('wf[0].flaky(0)').finishedAt!) + 5000).toISOString(), event: { type: 'timerFired', nodeId: run.node('wf[0].flaky').id } }]);
  });

  it('fails when the backoff would pass maxDuration', () => {
    const run = new Driver(retrying('{limit: 10, backoff: {duration: "30", maxDuration: "10"}}')).submit();
    run.finish('flaky(0)', 'Failed');
    expect(run.node('wf[0].flaky')).toMatchObject({ phase: 'Failed', message: 'Backoff would exceed max duration limit' });
  });

  it('retries a steps template as a whole', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: retry-steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    retryStrategy: {limit: 1}
    steps:
    - - {name: a, template: c}
  - name: c
    container: {image: busybox, command: ["true"]}
`).submit();
    run.finish('a', 'Failed');
    expect(run.node('wf')).toMatchObject({ type: 'Retry', phase: 'Running' });
    expect(run.node('wf(0)').type).toBe('Steps');
    expect(run.running()).toEqual(['a']);
    run.finish('a');
    expect(run.node('wf(1)').phase).toBe('Succeeded');
    expect(run.state.status.phase).toBe('Succeeded');
  });
});

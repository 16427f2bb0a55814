import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cm-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: first
        template: show
        arguments: {parameters: [{name: message, value: given}]}
    - - name: second
        template: show
  - name: show
    inputs:
      parameters:
      - name: plain
        value: fixed
      - name: message
        valueFrom: {configMapKeyRef: {name: settings, key: message}}
    container: {image: busybox, command: [echo, "{{inputs.parameters.plain}}", "{{inputs.parameters.message}}"]}
`;

/** One template whose inputs fall back differently when their ConfigMap or key is missing. */
const defaults = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: cm-}
spec:
  entrypoint: main
  templates:
  - name: main
    inputs:
      parameters:
      - name: a
        valueFrom: {configMapKeyRef: {name: settings, key: gone}, default: from-valueFrom}
      - name: b
        default: from-parameter
        valueFrom: {configMapKeyRef: {name: absent, key: k}}
      - name: c
        valueFrom: {configMapKeyRef: {name: settings, key: gone}}
    container: {image: busybox, command: [echo, "{{inputs.parameters.a}}", "{{inputs.parameters.b}}", "{{inputs.parameters.c}}"]}
`;

const waitingMessage = 'Waiting for ConfigMap "settings" key "message".';

describe('template inputs from ConfigMaps', () => {
  it('an argument wins: its node starts at once, without reading the ConfigMap', () => {
    const run = new Driver(yaml).submit();
    expect(run.running()).toEqual(['first']);
    expect(run.job('first').container.command).toEqual(['echo', 'fixed', 'given']);
  });

  it('a node without the argument asks for its ConfigMap key and waits Pending, then runs with the value read', () => {
    const run = new Driver(yaml).submit();
    const job = run.job('first');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    const second = run.node('wf[1].second');
    expect(ended.commands).toEqual([{ type: 'readConfigMaps', nodeId: second.id, namespace: 'default', keys: [{ name: 'settings', key: 'message' }] }]);
    expect(second).toMatchObject({ phase: 'Pending', message: waitingMessage, inputs: { parameters: [{ name: 'plain', value: 'fixed' }] } });
    expect(run.running()).toEqual([]);

    run.apply({ type: 'configMapsRead', nodeId: second.id, values: [{ name: 'settings', key: 'message', value: 'changed' }] });
    expect(run.running()).toEqual(['second']);
    expect(run.job('second').container.command).toEqual(['echo', 'fixed', 'changed']);
    expect(run.node('wf[1].second').message).toBeUndefined();
    expect(run.node('wf[1].second').inputs?.parameters).toEqual([
      { name: 'plain', value: 'fixed' },
      { name: 'message', value: 'changed' },
    ]);
    run.finishAll();
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a second answer (a redelivery) changes nothing, and the wait survives a reload of the state', () => {
    const run = new Driver(yaml).submit().finish('first').reload();
    const second = run.node('wf[1].second');
    const answer = { type: 'configMapsRead', nodeId: second.id, values: [{ name: 'settings', key: 'message', value: 'one' }] } as const;
    expect(run.applyRaw(answer).commands.map((c) => c.type)).toEqual(['dispatchNode']);
    const again = run.applyRaw({ ...answer, values: [{ name: 'settings', key: 'message', value: 'two' }] });
    expect(again.commands).toEqual([]);
    expect(run.job('second').container.command).toEqual(['echo', 'fixed', 'one']);
  });

  it('a default stands in for a missing ConfigMap or key; without one the node ends in Error naming the parameter, ConfigMap and key', () => {
    const run = new Driver(defaults).submit();
    const root = run.node('wf');
    expect(root.message).toBe('Waiting for ConfigMap "settings" key "gone", ConfigMap "absent" key "k".');
    run.apply({
      type: 'configMapsRead',
      nodeId: root.id,
      values: [
        { name: 'settings', key: 'gone', missing: 'key' },
        { name: 'absent', key: 'k', missing: 'configMap' },
      ],
    });
    expect(run.running()).toEqual([]);
    expect(run.node('wf')).toMatchObject({ phase: 'Error', message: 'inputs.parameters.c: key "gone" not found in ConfigMap "settings"' });
    expect(run.state.status.phase).toBe('Error');
  });

  it('binds the defaults where the ConfigMap or key is missing', () => {
    const run = new Driver(defaults.replace('{configMapKeyRef: {name: settings, key: gone}}', '{configMapKeyRef: {name: settings, key: there}}')).submit();
    run.apply({
      type: 'configMapsRead',
      nodeId: run.node('wf').id,
      values: [
        { name: 'settings', key: 'gone', missing: 'key' },
        { name: 'absent', key: 'k', missing: 'configMap' },
        { name: 'settings', key: 'there', value: 'read' },
      ],
    });
    expect(run.job('wf').container.command).toEqual(['echo', 'from-valueFrom', 'from-parameter', 'read']);
  });

  it('a missing ConfigMap without a default names the namespace; a read that could not be done ends the node with why', () => {
    const missing = new Driver(yaml).submit().finish('first');
    missing.apply({ type: 'configMapsRead', nodeId: missing.node('wf[1].second').id, values: [{ name: 'settings', key: 'message', missing: 'configMap' }] });
    expect(missing.node('wf[1].second')).toMatchObject({ phase: 'Error', message: 'inputs.parameters.message: ConfigMap "settings" not found in namespace "default"' });

    const failed = new Driver(yaml).submit().finish('first');
    failed.apply({ type: 'configMapsRead', nodeId: failed.node('wf[1].second').id, values: [], message: 'ConfigMaps could not be read: down' });
    expect(failed.node('wf[1].second')).toMatchObject({ phase: 'Error', message: 'ConfigMaps could not be read: down' });
    expect(failed.state.status.phase).toBe('Failed');
  });

  it('a value read must be one of the input\'s enum', () => {
    const run = new Driver(yaml.replace('key: message}}', 'key: message}}\n        enum: [given, b]')).submit().finish('first');
    run.apply({ type: 'configMapsRead', nodeId: run.node('wf[1].second').id, values: [{ name: 'settings', key: 'message', value: 'c' }] });
    expect(run.node('wf[1].second')).toMatchObject({ phase: 'Error', message: 'inputs.parameters.message value "c" is not one of ["given","b"]' });
  });

  it('a retried template reads its ConfigMap once, for its Retry node; each attempt gets the value', () => {
    const run = new Driver(yaml.replace('  - name: show\n', '  - name: show\n    retryStrategy: {limit: 1}\n')).submit().finish('first(0)');
    const retry = run.node('wf[1].second');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Pending', message: waitingMessage });
    run.apply({ type: 'configMapsRead', nodeId: retry.id, values: [{ name: 'settings', key: 'message', value: 'read' }] });
    const first = run.job('second(0)');
    expect(first.container.command).toEqual(['echo', 'fixed', 'read']);
    run.jobs.delete(first.nodeId);
    const failed = run.applyRaw({ type: 'nodeFinished', nodeId: first.nodeId, attempt: 0, phase: 'Failed' });
    expect(failed.commands.map((c) => c.type)).toEqual(['dispatchNode']);
    expect(run.job('second(1)').container.command).toEqual(['echo', 'fixed', 'read']);
  });

  it('a node held for its turn (parallelism) reads its ConfigMap once admitted, not when created', () => {
    const parallel = yaml.replace('  - name: main\n    steps:\n    - - name: first', '  - name: main\n    parallelism: 1\n    steps:\n    - - name: first').replace('    - - name: second\n', '      - name: second\n');
    const submitted = new Driver(parallel);
    expect(submitted.applyRaw({ type: 'workflowSubmitted' }).commands.map((c) => c.type)).toEqual(['dispatchNode']);
    const run = submitted.reload();
    const job = run.job('first');
    run.jobs.delete(job.nodeId);
    const second = run.node('wf[0].second');
    expect(second.message).toBeUndefined();
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(ended.commands).toEqual([{ type: 'readConfigMaps', nodeId: second.id, namespace: 'default', keys: [{ name: 'settings', key: 'message' }] }]);
    run.reload().apply({ type: 'configMapsRead', nodeId: second.id, values: [{ name: 'settings', key: 'message', value: 'read' }] });
    expect(run.job('second').container.command).toEqual(['echo', 'fixed', 'read']);
  });
});

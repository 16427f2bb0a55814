import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: daemon-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: server, template: server}
    - - name: client
        template: client
        arguments: {parameters: [{name: ip, value: "{{steps.server.ip}}"}]}
  - name: server
    daemon: true
    container: {image: python, command: [python3, -m, http.server, "8080"]}
  - name: client
    inputs: {parameters: [{name: ip}]}
    container: {image: curlimages/curl, command: [curl, "http://{{inputs.parameters.ip}}:8080/"]}
`;

describe('daemons', () => {
  it('a daemoned node lets later steps run with its address, and is stopped when its steps end', () => {
    const run = new Driver(yaml).submit();
    const server = run.node('wf[0].server');
    run.reload().apply({ type: 'nodeDaemoned', nodeId: server.id, attempt: 0 });
    expect(run.node('wf[0].server')).toMatchObject({ phase: 'Running', daemoned: true, podIP: '127.0.0.1' });
    expect(run.job('client').container.command).toEqual(['curl', 'http://127.0.0.1:8080/']);
    // Daemoned twice (a redelivered event) changes nothing.
    run.apply({ type: 'nodeDaemoned', nodeId: server.id, attempt: 0 });
    const client = run.job('client');
    run.jobs.delete(client.nodeId);
    const ended = run.reload().applyRaw({ type: 'nodeFinished', nodeId: client.nodeId, attempt: 0, phase: 'Succeeded' });
    expect(ended.commands).toContainEqual({ type: 'cancelNodes', nodeIds: [server.id] });
    expect(run.node('wf[0].server').phase).toBe('Succeeded');
    expect(run.state.status.phase).toBe('Succeeded');
  });

  it('a daemon that fails after being daemoned does not end its group twice', () => {
    const run = new Driver(yaml).submit();
    const server = run.node('wf[0].server');
    run.apply({ type: 'nodeDaemoned', nodeId: server.id, attempt: 0 });
    run.finish('server', 'Failed');
    expect(run.running()).toEqual(['client']);
    expect(run.state.status.phase).toBe('Running');
    run.finish('client');
    expect(run.state.status.phase).toBe('Succeeded');
  });
});

import { describe, expect, it } from 'vitest';
import { Driver } from '../../test-support/drive.js';
import { applyDefaultTtl } from './ttl.js';

const yaml = (ttl: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: ttl-}
spec:
  entrypoint: c
  ttlStrategy: ${ttl}
  templates:
  - name: c
    container: {image: busybox, command: ["true"]}
`;

describe('ttlStrategy', () => {
  it('asks for the deletion after secondsAfterSuccess, then deletes once the timer fires', () => {
    const run = new Driver(yaml('{secondsAfterCompletion: 60, secondsAfterSuccess: 5}')).submit();
    const job = run.job('wf');
    run.jobs.delete(job.nodeId);
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded' });
    const finished = Date.parse(run.state.status.finishedAt!);
    expect(ended.commands).toContainEqual({ type: 'scheduleEvent', at: new Date(finished + 5000).toISOString(), event: { type: 'ttlExpired' } });
    expect(run.applyRaw({ type: 'ttlExpired' }).commands).toEqual([{ type: 'deleteWorkflow', namespace: 'default', name: 'wf' }]);
  });

  it('uses secondsAfterCompletion for a failure without secondsAfterFailure', () => {
    const run = new Driver(yaml('{secondsAfterCompletion: 7}')).submit();
    const job = run.job('wf');
    const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Failed' });
    expect(ended.commands).toContainEqual({ type: 'scheduleEvent', at: new Date(Date.parse(run.state.status.finishedAt!) + 7000).toISOString(), event: { type: 'ttlExpired' } });
  });

  it("takes the operator's default ttlStrategy under the workflow's own, field by field (Argo's workflowDefaults)", () => {
    const endsAfter = (phase: 'Succeeded' | 'Failed') => {
      const run = new Driver(yaml('{secondsAfterSuccess: 5}'));
      applyDefaultTtl(run.state.workflow, { secondsAfterCompletion: 600, secondsAfterSuccess: 60 });
      run.submit();
      const ended = run.applyRaw({ type: 'nodeFinished', nodeId: run.job('wf').nodeId, attempt: 0, phase });
      const timer = ended.commands.find((command) => command.type === 'scheduleEvent');
      return timer?.type === 'scheduleEvent' ? (Date.parse(timer.at) - Date.parse(run.state.status.finishedAt!)) / 1000 : undefined;
    };
    expect(endsAfter('Succeeded')).toBe(5);
    expect(endsAfter('Failed')).toBe(600);
  });
});

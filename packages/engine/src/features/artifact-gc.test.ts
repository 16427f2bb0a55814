import { describe, expect, it } from 'vitest';
import type { EngineCommand } from '../core/commands.js';
import { Driver } from '../../test-support/drive.js';

const GC = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifact-gc-}
spec:
  entrypoint: main
  artifactGC: {strategy: OnWorkflowCompletion, forceFinalizerRemoval: true}
  templates:
  - name: main
    steps: [[{name: make, template: make}]]
  - name: make
    container: {image: busybox}
    outputs:
      artifacts:
      - {name: on-completion, path: /tmp/a}
      - {name: on-deletion, path: /tmp/b, artifactGC: {strategy: OnWorkflowDeletion}}
      - {name: kept, path: /tmp/c, artifactGC: {strategy: Never}}
`;

/** Argo's v2 pod name of a step's node: the workflow, the template, the node id's hash. */
const podOf = (nodeId: string) => nodeId.replace(/^wf-/, 'wf-make-');

/** Finishes `make` with the outputs as dispatched, so each artifact lies where the engine said. */
function finished(yaml: string): { run: Driver; ended: EngineCommand[] } {
  const run = new Driver(yaml).submit();
  const job = run.job('make');
  const ended = run.applyRaw({ type: 'nodeFinished', nodeId: job.nodeId, attempt: 0, phase: 'Succeeded', outputs: { artifacts: job.outputArtifacts } }).commands;
  return { run, ended };
}

describe('artifactGC', () => {
  it("deletes on completion the artifacts whose own strategy, else the workflow's, is OnWorkflowCompletion", () => {
    const { run, ended } = finished(GC);
    const make = run.node('wf[0].make');
    expect(ended.filter((c) => c.type === 'collectArtifacts')).toEqual([
      {
        type: 'collectArtifacts',
        strategy: 'OnWorkflowCompletion',
        namespace: 'default',
        artifacts: [{ nodeId: make.id, artifact: { name: 'on-completion', path: '/tmp/a', key: `default/uid-1/${podOf(make.id)}/on-completion.tgz` } }],
      },
    ]);
  });

  it('records what was deleted, and a failure as the ArtifactGCError condition, which a later success clears', () => {
    const { run } = finished(GC);
    const make = run.node('wf[0].make');
    run.apply({ type: 'artifactsCollected', strategy: 'OnWorkflowCompletion', artifacts: [{ nodeId: make.id, name: 'on-completion', message: 'local artifact folder: permission denied' }] });
    expect(run.state.status.conditions).toEqual([
      {
        type: 'ArtifactGCError',
        status: 'True',
        message: 'Artifact Garbage Collection failed for strategy OnWorkflowCompletion: artifact "on-completion" of node wf[0].make: local artifact folder: permission denied',
      },
    ]);
    run.apply({ type: 'artifactsCollected', strategy: 'OnWorkflowCompletion', artifacts: [{ nodeId: make.id, name: 'on-completion' }] });
    expect(run.state.status.conditions).toBeUndefined();
    expect(run.state.status.artifactGCStatus).toEqual({ strategiesProcessed: { OnWorkflowCompletion: true } });
    expect(make.outputs?.artifacts?.find((a) => a.name === 'on-completion')?.deleted).toBe(true);
    // Reloaded as from Redis, the mark stays: a deleted artifact is not collected again.
    run.reload();
    expect(run.node('wf[0].make').outputs?.artifacts?.find((a) => a.name === 'on-completion')?.deleted).toBe(true);
  });

  it("deletes OnWorkflowDeletion's artifacts before a TTL deletion, passing forceFinalizerRemoval on", () => {
    const yaml = GC.replace('  entrypoint: main\n', '  entrypoint: main\n  ttlStrategy: {secondsAfterCompletion: 10}\n');
    const { run } = finished(yaml);
    const make = run.node('wf[0].make');
    expect(run.applyRaw({ type: 'ttlExpired' }).commands).toEqual([
      {
        type: 'deleteWorkflow',
        namespace: 'default',
        name: 'wf',
        artifacts: [{ nodeId: make.id, artifact: { name: 'on-deletion', path: '/tmp/b', artifactGC: { strategy: 'OnWorkflowDeletion' }, key: `default/uid-1/${podOf(make.id)}/on-deletion.tgz` } }],
        forceFinalizerRemoval: true,
      },
    ]);
  });

  it('says notSpecified when the stored artifacts are all kept, and leaves a workflow without artifacts alone', () => {
    const kept = finished(GC.replace('strategy: OnWorkflowCompletion, forceFinalizerRemoval: true', 'strategy: Never').replace('artifactGC: {strategy: OnWorkflowDeletion}', 'archive: {none: {}}'));
    expect(kept.ended.some((c) => c.type === 'collectArtifacts')).toBe(false);
    expect(kept.run.state.status.artifactGCStatus).toEqual({ notSpecified: true });
    const none = new Driver(GC.replace(/ {4}outputs:\n(.*\n)*/, '')).submit().finishAll();
    expect(none.state.status.phase).toBe('Succeeded');
    expect(none.state.status.artifactGCStatus).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';
import { unsupportedFeatures } from '../checks/support.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: vol-}
spec:
  entrypoint: main
  volumes:
  - {name: shared, persistentVolumeClaim: {claimName: my-existing-volume, readOnly: true}}
  - {name: logs, hostPath: {path: /var/log, type: Directory}}
  volumeClaimTemplates:
  - metadata: {name: workdir}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
  templates:
  - name: main
    steps:
    - - {name: write, template: write}
    - - {name: broken, template: broken}
  - name: write
    volumes:
    - {name: scratch, emptyDir: {}}
    initContainers:
    - {name: prepare, image: alpine, command: [sh, -c, "echo hi > /scratch/x"], volumeMounts: [{name: scratch, mountPath: /scratch}]}
    container:
      image: alpine
      command: [sh, -c, "cat /scratch/x > /mnt/vol/out"]
      volumeMounts:
      - {name: workdir, mountPath: /mnt/vol}
      - {name: scratch, mountPath: /scratch}
      - {name: shared, mountPath: /shared, subPath: sub}
    sidecars:
    - {name: watcher, image: alpine, command: [sleep, "9"], mirrorVolumeMounts: true}
  - name: broken
    container: {image: alpine, command: ["true"], volumeMounts: [{name: nowhere, mountPath: /x}]}
`;

describe('volumes', () => {
  it("give a pod's job the volumes its containers mount: the template's, the workflow's and its own claims", () => {
    const run = new Driver(yaml).submit();
    const job = run.job('write');
    expect(job.volumes).toEqual([
      { name: 'workdir', claim: { name: 'workdir', ofWorkflow: true } },
      { name: 'scratch', emptyDir: true },
      { name: 'shared', claim: { name: 'my-existing-volume', ofWorkflow: false }, readOnly: true },
    ]);
    expect(job.initContainers).toEqual([
      { name: 'prepare', image: 'alpine', command: ['sh', '-c', 'echo hi > /scratch/x'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] },
    ]);
    expect(job.container.volumeMounts?.map(({ mountPath }) => mountPath)).toEqual(['/mnt/vol', '/scratch', '/shared']);
    // mirrorVolumeMounts: the sidecar mounts what the main container mounts.
    expect(job.sidecars).toEqual([{ name: 'watcher', image: 'alpine', command: ['sleep', '9'], volumeMounts: job.container.volumeMounts }]);
  });

  it('error a pod that mounts a volume defined nowhere, naming it', () => {
    const run = new Driver(yaml).submit();
    run.finish('write');
    expect(run.node('wf[1].broken')).toMatchObject({
      phase: 'Error',
      message: 'volume "nowhere" is mounted but not defined in the template\'s or the workflow\'s volumes or volumeClaimTemplates',
    });
  });

  it("delete the workflow's own claims when it ends (Argo's OnWorkflowCompletion), or only on success where asked", () => {
    const ended = new Driver(yaml).submit();
    ended.finish('write');
    const deletes = (run: Driver, phase: 'Succeeded' | 'Failed') =>
      run.applyRaw({ type: 'nodeFinished', nodeId: run.job('write').nodeId, attempt: 0, phase }).commands.filter(({ type }) => type === 'deleteVolumeClaims');
    expect(ended.state.status.phase).toBe('Failed'); // the broken step errored
    expect(deletes(new Driver(yaml).submit(), 'Failed')).toEqual([{ type: 'deleteVolumeClaims' }]);
    const onSuccess = yaml.replace('  volumeClaimTemplates:', '  volumeClaimGC: {strategy: OnWorkflowSuccess}\n  volumeClaimTemplates:');
    expect(deletes(new Driver(onSuccess).submit(), 'Failed')).toEqual([]);
  });

  it('of kinds local mode does not provide are refused at submission, with their place', () => {
    const workflow = loadWorkflow(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: vol-}
spec:
  entrypoint: main
  volumes: [{name: conf, configMap: {name: my-config}}, {name: share, nfs: {server: nfs.example, path: /x}}]
  templates:
  - name: main
    volumes: [{name: s, secret: {secretName: my-secret}}, {name: p, projected: {sources: []}}]
    container: {image: alpine, command: ["true"]}
`,
      'vol.yaml',
    );
    // configMap and secret volumes are run (files of their keys); nfs and projected are not.
    expect(unsupportedFeatures(workflow)).toEqual([
      { path: 'spec.volumes[1].nfs', feature: 'nfs volumes' },
      { path: 'spec.templates[0].volumes[1].projected', feature: 'projected volumes' },
    ]);
  });
});

import { loadWorkflow } from '@regatta/spec';
import { describe, expect, it } from 'vitest';
import { PodBuildError } from './pod-build-error.js';
import { workflowClaims } from './volume-claims.js';

const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  volumeClaimTemplates:
  - metadata: {name: workdir, labels: {team: data}, annotations: {note: x}}
    spec: {accessModes: [ReadWriteOnce], storageClassName: fast, resources: {requests: {storage: 1Gi}}}
  templates:
  - name: main
    container: {image: alpine, command: ["true"], volumeMounts: [{name: workdir, mountPath: /work}]}
`;

describe('the claims of volumeClaimTemplates', () => {
  it('are named <workflow>-<claim>, labelled with the workflow and owned by it, as Argo creates them', () => {
    const { spec } = loadWorkflow(yaml, 'wf.yaml');
    const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: 'wf', uid: 'u1', controller: true };
    expect(workflowClaims({ name: 'wf', namespace: 'argo' }, spec.volumeClaimTemplates!, owner)).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: 'wf-workdir',
          namespace: 'argo',
          labels: { team: 'data', 'workflows.argoproj.io/workflow': 'wf' },
          annotations: { note: 'x' },
          ownerReferences: [owner],
        },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
      },
    ]);
  });

  it('need a name', () => {
    expect(() => workflowClaims({ name: 'wf', namespace: 'argo' }, [{ spec: {} }])).toThrow(PodBuildError);
    expect(() => workflowClaims({ name: 'wf', namespace: 'argo' }, [{ spec: {} }])).toThrow('volumeClaimTemplates[0].metadata.name is required');
  });
});

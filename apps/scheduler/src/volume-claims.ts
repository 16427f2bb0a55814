// What the scheduler asks of the executors' host when a workflow's own claims go with it.

/** The claims a workflow made for itself (Argo's volumeClaimTemplates), as the executors' host keeps them. */
export interface VolumeClaims {
  deleteWorkflowClaims(uid: string): Promise<void>;
}

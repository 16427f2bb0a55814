// The resources a workflow may refer to, stored beside workflows: Argo's WorkflowTemplate and
// ClusterWorkflowTemplate (a workflow's spec kept to be called or extended) and Kubernetes' ConfigMap
// and Secret.
import type { ObjectMeta, WorkflowSpec } from './types.js';

export interface WorkflowTemplate {
  apiVersion: string;
  kind: 'WorkflowTemplate';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface ClusterWorkflowTemplate {
  apiVersion: string;
  kind: 'ClusterWorkflowTemplate';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
}

export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: Record<string, string>;
}

/**
 * Kubernetes' Secret as `kubectl apply` takes it: `data` values base64, `stringData` plain text (written
 * over `data`'s keys, as the API server merges them), `type` free text (`Opaque` when unset).
 */
export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

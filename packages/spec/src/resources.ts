// The resources a workflow may refer to, stored beside workflows: Argo's WorkflowTemplate and
// ClusterWorkflowTemplate (a workflow's spec kept to be called or extended) and Kubernetes' ConfigMap.
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

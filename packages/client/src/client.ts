// The operations users run on workflows, shaped after Argo Server's WorkflowService (create, lint,
// submit from a stored resource, list, get, watch, logs, delete, and the controls): one interface, so
// that the CLI, tools and the server run the same operations whatever carries them. Its first
// transport is Redis directly (RedisWorkflowClient); the server's HTTP API will be the second.
import type { Workflow } from '@regatta/spec';
import type { WorkflowSummary } from '@regatta/store';
import type { SubmitOptions } from './submit.js';

/** The stored resources a workflow can be submitted from (Argo's `resourceKind`). */
export type SubmittableKind = 'CronWorkflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate';

export interface SubmitFromOptions extends Omit<SubmitOptions, 'shards' | 'uid'> {
  /** Added to the workflow's own (Argo's `submitOptions.annotations`). */
  annotations?: Record<string, string>;
  /** Added to the workflow's own, over those the stored resource gives (Argo's `submitOptions.labels`, an event binding's `submit.metadata.labels`). */
  labels?: Record<string, string>;
  /** The workflow's name, instead of one generated. */
  name?: string;
  /** How issues found in the workflow name its origin; `Kind/name` unless given. */
  source?: string;
}

export interface LogEntry {
  nodeId: string;
  /** The node's display name; its id while the node is not yet known. */
  displayName: string;
  /** Argo's pod name of the node (`<workflow>-<template>-<hash>`); its id while the node is not yet known. */
  podName: string;
  /** When it was written (RFC 3339). */
  time: string;
  content: string;
}

export interface LogOptions {
  /** Only this node's lines. */
  nodeId?: string;
  /** Keep reading until the workflow has ended and every line written before that was read. */
  follow?: boolean;
  /** The workflow's uid when the caller knows it (it just created it): a later holder of the name is not followed. */
  uid?: string;
  /** Called once the lines written so far were read, before a followed read waits for more. */
  onCaughtUp?: () => void;
  /** A followed read stops (within a second) once it is aborted: its reader has gone. */
  signal?: AbortSignal;
}

export interface WatchOptions {
  /** As for LogOptions.uid. */
  uid?: string;
}

export interface StopOptions {
  /** Instead of stopping the workflow, fail the matching suspend nodes. */
  nodeFieldSelector?: string;
  message?: string;
}

export interface SetOptions {
  nodeFieldSelector: string;
  phase?: 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  outputParameters?: Record<string, string>;
}

export interface WorkflowClient {
  /** Argo's lint: resolves what a prepared workflow (prepareWorkflow) refers to and checks it; stores nothing. */
  lintWorkflow(workflow: Workflow): Promise<void>;
  /** Argo's create: stores and starts a prepared workflow; a generated name is set on it. */
  createWorkflow(workflow: Workflow): Promise<Workflow>;
  /** Argo's submit: a workflow from a stored CronWorkflow, WorkflowTemplate or ClusterWorkflowTemplate, created now. */
  submitFrom(kind: SubmittableKind, name: string, options: SubmitFromOptions): Promise<Workflow>;
  /** The namespace's workflows, newest first. */
  listWorkflows(namespace: string): Promise<WorkflowSummary[]>;
  getWorkflow(namespace: string, name: string): Promise<Workflow>;
  /** Calls `onChange` with the workflow as it changes, at most every so often; resolves with it once it has ended. */
  watchWorkflow(namespace: string, name: string, onChange: (workflow: Workflow) => void, options?: WatchOptions): Promise<Workflow>;
  /** Node output, in the order it was written. */
  workflowLogs(namespace: string, name: string, onEntry: (entry: LogEntry) => void, options?: LogOptions): Promise<void>;
  /** Deletes a workflow and its logs. */
  deleteWorkflow(namespace: string, name: string): Promise<void>;
  /** Stops its nodes, then runs its exit handlers; with a nodeFieldSelector, fails those suspend nodes instead. */
  stopWorkflow(namespace: string, name: string, options?: StopOptions): Promise<void>;
  /** Stops its nodes without running exit handlers. */
  terminateWorkflow(namespace: string, name: string): Promise<void>;
  /** Running nodes go on; no new ones start until resumed. */
  suspendWorkflow(namespace: string, name: string): Promise<void>;
  /** Resumes a suspended workflow, or (with a nodeFieldSelector) only the matching suspend nodes. */
  resumeWorkflow(namespace: string, name: string, options?: { nodeFieldSelector?: string }): Promise<void>;
  /** Runs a Failed or Error workflow again: its failed nodes run again, succeeded ones are kept. */
  retryWorkflow(namespace: string, name: string): Promise<void>;
  /** Argo's `node set`: a node's outputs, phase or message. */
  setWorkflow(namespace: string, name: string, options: SetOptions): Promise<void>;
  /** A new workflow from the spec of an earlier one; `memoized` keeps the nodes that succeeded. */
  resubmitWorkflow(namespace: string, name: string, options?: { memoized?: boolean }): Promise<Workflow>;
}

/** A request that names nothing stored, or that does not apply: its message says which. */
export class ClientError extends Error {
  constructor(
    readonly code: 'NotFound' | 'FailedPrecondition',
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export function workflowNotFound(namespace: string, name: string): ClientError {
  return new ClientError('NotFound', `workflow "${name}" not found in namespace "${namespace}"`);
}

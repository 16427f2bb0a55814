// Argo's resource shapes, field names verbatim, so users' YAML and `-o yaml` output carry over.
// Only the fields Regatta reads are typed; unknown fields are kept as they are.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

export interface ValueFrom {
  path?: string;
  default?: string;
  jsonPath?: string;
  expression?: string;
  parameter?: string;
  supplied?: Record<string, never>;
  configMapKeyRef?: { name: string; key: string };
}

export interface Parameter {
  name: string;
  value?: string;
  default?: string;
  enum?: string[];
  description?: string;
  globalName?: string;
  valueFrom?: ValueFrom;
}

export interface Arguments {
  parameters?: Parameter[];
  artifacts?: unknown[];
}

export interface Inputs {
  parameters?: Parameter[];
  artifacts?: unknown[];
}

export interface Outputs {
  parameters?: Parameter[];
  artifacts?: unknown[];
  result?: string;
  exitCode?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
}

export interface ScriptTemplate extends Container {
  source: string;
}

export interface ContinueOn {
  failed?: boolean;
  error?: boolean;
}

/** Argo's loops on a step or task: a list, a JSON list from a parameter, or a number sequence. */
export interface LoopFields {
  withItems?: unknown[];
  withParam?: string;
  withSequence?: { count?: string | number; start?: string | number; end?: string | number; format?: string };
}

export interface WorkflowStep extends LoopFields {
  name: string;
  continueOn?: ContinueOn;
  template?: string;
  inline?: Template;
  arguments?: Arguments;
  when?: string;
}

export interface DAGTask extends LoopFields {
  name: string;
  continueOn?: ContinueOn;
  template?: string;
  inline?: Template;
  arguments?: Arguments;
  dependencies?: string[];
  depends?: string;
  when?: string;
}

export interface DAGTemplate {
  tasks: DAGTask[];
  target?: string;
  failFast?: boolean;
}

export interface Template {
  name: string;
  inputs?: Inputs;
  outputs?: Outputs;
  container?: Container;
  script?: ScriptTemplate;
  steps?: WorkflowStep[][];
  dag?: DAGTemplate;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface WorkflowSpec {
  entrypoint?: string;
  arguments?: Arguments;
  templates?: Template[];
  onExit?: string;
  [field: string]: unknown;
}

export type WorkflowPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error';

export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Skipped' | 'Failed' | 'Error' | 'Omitted';

export type NodeType =
  | 'Pod'
  | 'Container'
  | 'Steps'
  | 'StepGroup'
  | 'DAG'
  | 'TaskGroup'
  | 'Retry'
  | 'Skipped'
  | 'Suspend'
  | 'HTTP'
  | 'Plugin';

export interface NodeOutputs {
  parameters?: Parameter[];
  result?: string;
  exitCode?: string;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: NodeType;
  templateName?: string;
  phase: NodePhase;
  boundaryID?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  progress?: string;
  inputs?: { parameters?: Parameter[] };
  outputs?: NodeOutputs;
  children?: string[];
  outboundNodes?: string[];
}

export interface WorkflowStatus {
  phase: WorkflowPhase;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  progress?: string;
  nodes?: Record<string, NodeStatus>;
  outputs?: { parameters?: Parameter[] };
}

export interface Workflow {
  apiVersion: string;
  kind: 'Workflow';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
  status?: WorkflowStatus;
}

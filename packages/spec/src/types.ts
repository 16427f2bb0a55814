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
  /** A resource template's: a jq filter over the object, printed raw and compact (`jq -rc`). */
  jqFilter?: string;
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

/** Argo's `archive`: tar+gzip unless `none` or `zip` is given. */
export interface ArchiveStrategy {
  none?: Record<string, never>;
  tar?: { compressionLevel?: number };
  zip?: Record<string, never>;
}

/** A key of a Secret (or ConfigMap) in the workflow's namespace, as Kubernetes' selectors name one. */
export interface SecretKeySelector {
  name: string;
  key: string;
  optional?: boolean;
}

/** Argo's S3 location (S3 and S3-compatible stores); a repository's also carries `keyFormat`. */
export interface S3Location {
  bucket?: string;
  endpoint?: string;
  region?: string;
  insecure?: boolean;
  key?: string;
  keyFormat?: string;
  accessKeySecret?: SecretKeySelector;
  secretKeySecret?: SecretKeySelector;
  sessionTokenSecret?: SecretKeySelector;
  caSecret?: SecretKeySelector;
  roleARN?: string;
  useSDKCreds?: boolean;
  createBucketIfNotPresent?: { objectLocking?: boolean };
  encryptionOptions?: {
    kmsKeyId?: string;
    kmsEncryptionContext?: string;
    enableEncryption?: boolean;
    serverSideCustomerKeySecret?: SecretKeySelector;
  };
}

/** Argo's Azure Blob location: `blob` is the key within `container`. */
export interface AzureLocation {
  endpoint?: string;
  container?: string;
  blob?: string;
  blobNameFormat?: string;
  accountKeySecret?: SecretKeySelector;
  useSDKCreds?: boolean;
}

/** Argo's GCS location, run through GCS's S3 interoperability (HMAC keys) where no native client can be tested. */
export interface GCSLocation {
  bucket?: string;
  key?: string;
  keyFormat?: string;
  serviceAccountKeySecret?: SecretKeySelector;
}

/** Argo's Git location: a repository checked out as an input artifact. */
export interface GitLocation {
  repo: string;
  revision?: string;
  branch?: string;
  singleBranch?: boolean;
  depth?: number;
  fetch?: string[];
  usernameSecret?: SecretKeySelector;
  passwordSecret?: SecretKeySelector;
  sshPrivateKeySecret?: SecretKeySelector;
  insecureIgnoreHostKey?: boolean;
  insecureSkipTLS?: boolean;
  disableSubmodules?: boolean;
}

/** A header of an HTTP artifact, its value written or taken from a Secret. */
export interface HttpHeader {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: SecretKeySelector };
}

/** Argo's HTTP location: GET for inputs, PUT for outputs. */
export interface HttpLocation {
  url: string;
  headers?: HttpHeader[];
  auth?: {
    basicAuth?: { usernameSecret?: SecretKeySelector; passwordSecret?: SecretKeySelector };
    oauth2?: OAuth2Auth;
    clientCert?: ClientCertAuth;
  };
}

/** Argo's OAuth2 client-credentials grant: a token from `tokenURLSecret`'s URL, sent as `Authorization: Bearer`. */
export interface OAuth2Auth {
  clientIDSecret?: SecretKeySelector;
  clientSecretSecret?: SecretKeySelector;
  tokenURLSecret?: SecretKeySelector;
  scopes?: string[];
  endpointParams?: { key: string; value?: string }[];
}

/** Argo's TLS client certificate: PEM certificate and key from Secrets. */
export interface ClientCertAuth {
  clientCertSecret?: SecretKeySelector;
  clientKeySecret?: SecretKeySelector;
}

/** Argo's Artifactory location (HTTP with basic auth from Secrets). */
export interface ArtifactoryLocation {
  url: string;
  usernameSecret?: SecretKeySelector;
  passwordSecret?: SecretKeySelector;
}

/** The stores an artifact may lie in, Argo's field names; at most one is set. */
export interface ArtifactLocation {
  s3?: S3Location;
  azure?: AzureLocation;
  gcs?: GCSLocation;
  git?: GitLocation;
  http?: HttpLocation;
  artifactory?: ArtifactoryLocation;
  raw?: { data: string };
  hdfs?: Record<string, unknown>;
  oss?: Record<string, unknown>;
}

/**
 * Argo's artifact repository (the `artifactRepository` of the installation's configuration, or a key
 * of a namespace's `artifact-repositories` ConfigMap): where output artifacts without a location go.
 */
export interface ArtifactRepository {
  archiveLogs?: boolean;
  /** `keyPrefix` is Argo's deprecated spelling of a key format's leading folders. */
  s3?: S3Location & { keyPrefix?: string };
  azure?: AzureLocation;
  gcs?: GCSLocation;
  /** The repository's `url` is built from `repoURL` and `keyFormat`. */
  artifactory?: Partial<ArtifactoryLocation> & { repoURL?: string; keyFormat?: string };
  hdfs?: Record<string, unknown>;
  oss?: Record<string, unknown>;
  plugin?: Record<string, unknown>;
}

/** Argo's `artifactRepositoryRef`: a key of a ConfigMap of the workflow's namespace that holds an ArtifactRepository. */
export interface ArtifactRepositoryRef {
  /** Defaults to `artifact-repositories`. */
  configMap?: string;
  /** Defaults to the ConfigMap's annotation `workflows.argoproj.io/default-artifact-repository`. */
  key?: string;
}

/** The repository a workflow was given at submission, kept in its status so that it never changes under it. */
export interface ArtifactRepositoryRefStatus extends ArtifactRepositoryRef {
  namespace?: string;
  /** The installation's default (Argo's controller configuration), not a ConfigMap's. */
  default?: boolean;
  artifactRepository?: ArtifactRepository;
}

/** Argo's artifactGC strategies; `''` and `Never` keep the artifacts. */
export type ArtifactGCStrategy = 'OnWorkflowCompletion' | 'OnWorkflowDeletion' | 'Never' | '';

/** Argo's `artifactGC` of one artifact; `serviceAccountName` and `podMetadata` are for Kubernetes' GC pods. */
export interface ArtifactGC {
  strategy?: ArtifactGCStrategy;
  serviceAccountName?: string;
  podMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Argo's workflow-level `artifactGC`: the default of every artifact, and whether a failed deletion may still delete the workflow. */
export interface WorkflowLevelArtifactGC extends ArtifactGC {
  forceFinalizerRemoval?: boolean;
  podSpecPatch?: string;
}

/** Argo's `status.artifactGCStatus`: which strategies have been carried out, for which pods. */
export interface ArtifactGCStatus {
  strategiesProcessed?: Partial<Record<ArtifactGCStrategy, boolean>>;
  podsRecouped?: Record<string, boolean>;
  /** Nothing of the workflow is to be collected. */
  notSpecified?: boolean;
}

/** Argo's workflow condition, e.g. `ArtifactGCError`. */
export interface WorkflowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  message?: string;
}

/**
 * Argo's artifact: a declaration (`path`, `optional`, `archive`, `globalName`), an argument (`from`,
 * `raw`), and, on a node, where it lies: `key` in Regatta's local repository (a folder on the host),
 * or a location of another store (`s3`, `azure`, …) whose own `key` (`blob`, `url`) names it there.
 */
export interface Artifact extends Omit<ArtifactLocation, 'raw'> {
  name: string;
  path?: string;
  from?: string;
  optional?: boolean;
  mode?: number;
  archive?: ArchiveStrategy;
  globalName?: string;
  raw?: { data: string };
  /** Where the repository holds it: `<workflow>/<pod>/<name>`, `.tgz` when archived. */
  key?: string;
  /** Overrides the workflow's `artifactGC` for this artifact. */
  artifactGC?: ArtifactGC;
  /** Set once artifactGC has deleted its stored copy. */
  deleted?: boolean;
  [field: string]: unknown;
}

/**
 * A data template (Argo's `data`): the paths found under `source.artifactPaths`, passed through each
 * `transformation` expression as `data`; the last value is the node's result.
 */
export interface DataTemplate {
  source: { artifactPaths: Artifact };
  transformation?: { expression: string }[];
}

export interface Arguments {
  parameters?: Parameter[];
  artifacts?: Artifact[];
}

export interface Inputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
}

export interface Outputs {
  parameters?: Parameter[];
  artifacts?: Artifact[];
  result?: string;
  exitCode?: string;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: SecretKeySelector;
    configMapKeyRef?: SecretKeySelector;
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: Record<string, unknown>;
  };
}

/** Kubernetes' EnvFromSource: every key of a ConfigMap or Secret as a variable, after `prefix`. */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  workingDir?: string;
  volumeMounts?: VolumeMount[];
}

/** Shows the pod's volume `name` (at its `subPath`) at `mountPath` in a container. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** A pod volume, of the kinds local mode provides; Kubernetes' other kinds are refused at submission. */
export interface Volume {
  name: string;
  emptyDir?: Record<string, unknown>;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  hostPath?: { path: string; type?: string };
  [kind: string]: unknown;
}

/** A claim the workflow creates for itself (Argo's `volumeClaimTemplates`): a volume named `metadata.name`. */
export interface VolumeClaimTemplate {
  metadata?: { name?: string };
  spec?: unknown;
}

/** One container of Argo's `containerSet`: it starts once every container it depends on has succeeded. */
export interface ContainerSetContainer extends Container {
  name: string;
  dependencies?: string[];
}

/** Argo's `containerSet` retryStrategy: a failed container runs again, up to `retries` times, inside its pod. */
export interface ContainerSetRetryStrategy {
  retries: string | number;
  duration?: string;
}

/** Argo's `containerSet`: several containers in one pod sharing its volumes, run in dependency order. */
export interface ContainerSetTemplate {
  containers: ContainerSetContainer[];
  retryStrategy?: ContainerSetRetryStrategy;
  volumeMounts?: VolumeMount[];
}

export interface ScriptTemplate extends Container {
  source: string;
}

/** An HTTP template's request (Argo's `http`), made by a worker. */
export interface HttpRequestSpec {
  url: string;
  method?: string;
  headers?: HttpHeader[];
  body?: string;
  successCondition?: string;
  timeoutSeconds?: number;
  insecureSkipVerify?: boolean;
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

/** A template of a WorkflowTemplate (or, with clusterScope, a ClusterWorkflowTemplate). */
export interface TemplateRef {
  name: string;
  template: string;
  clusterScope?: boolean;
}

/** A lifecycle hook: run `template` when `expression` holds (the `exit` hook: when the owner ends). */
export interface LifecycleHook {
  template?: string;
  templateRef?: TemplateRef;
  arguments?: Arguments;
  expression?: string;
}

export type LifecycleHooks = Record<string, LifecycleHook>;

/** What a step, a DAG task and a hook have in common: a template to run with arguments. */
export interface TemplateCallFields {
  template?: string;
  templateRef?: TemplateRef;
  inline?: Template;
  arguments?: Arguments;
}

export interface WorkflowStep extends LoopFields, TemplateCallFields {
  name: string;
  continueOn?: ContinueOn;
  when?: string;
  onExit?: string;
  hooks?: LifecycleHooks;
}

export interface DAGTask extends LoopFields, TemplateCallFields {
  name: string;
  continueOn?: ContinueOn;
  dependencies?: string[];
  depends?: string;
  when?: string;
  onExit?: string;
  hooks?: LifecycleHooks;
}

export interface Backoff {
  duration?: string | number;
  factor?: string | number;
  maxDuration?: string;
  cap?: string;
}

export interface RetryStrategy {
  limit?: string | number;
  retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';
  backoff?: Backoff;
  expression?: string;
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
  containerSet?: ContainerSetTemplate;
  steps?: WorkflowStep[][];
  dag?: DAGTemplate;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  retryStrategy?: RetryStrategy;
  activeDeadlineSeconds?: string | number;
  timeout?: string;
  volumes?: Volume[];
  initContainers?: Container[];
  /** Where this template's outputs go instead of the workflow's repository; `archiveLogs` saves its main log. */
  archiveLocation?: ArtifactLocation & { archiveLogs?: boolean };
  [field: string]: unknown;
}

export interface WorkflowSpec {
  entrypoint?: string;
  arguments?: Arguments;
  templates?: Template[];
  onExit?: string;
  hooks?: LifecycleHooks;
  workflowTemplateRef?: { name: string; clusterScope?: boolean };
  activeDeadlineSeconds?: string | number;
  /** Set by `stop` / `terminate`: no new nodes (Stop still runs exit handlers). */
  shutdown?: 'Stop' | 'Terminate';
  /** Set by `suspend`: no new pods until `resume`. */
  suspend?: boolean;
  volumes?: Volume[];
  volumeClaimTemplates?: VolumeClaimTemplate[];
  artifactRepositoryRef?: ArtifactRepositoryRef;
  artifactGC?: WorkflowLevelArtifactGC;
  /** Save every pod's main log as its artifact `main-logs`. */
  archiveLogs?: boolean;
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
  artifacts?: Artifact[];
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
  inputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  outputs?: NodeOutputs;
  children?: string[];
  outboundNodes?: string[];
  templateRef?: TemplateRef;
  hostNodeName?: string;
  /** `hooked`: an exit handler or lifecycle hook's node; `retried`: one attempt under a Retry node. */
  nodeFlag?: { hooked?: boolean; retried?: boolean };
  /** The locks (semaphores, mutexes) a node waits for or holds, by name. */
  synchronizationStatus?: { waiting?: string; holding?: string };
  /** A daemon's node once its process runs: later steps go on while it serves them at `podIP`. */
  daemoned?: boolean;
  podIP?: string;
  /** Whether a memoized node's outputs came from its cache, under which key. */
  memoizationStatus?: { hit: boolean; key: string; cacheName: string };
}

export interface WorkflowStatus {
  phase: WorkflowPhase;
  startedAt?: string;
  finishedAt?: string;
  message?: string;
  progress?: string;
  nodes?: Record<string, NodeStatus>;
  outputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  /** Templates of WorkflowTemplates this workflow refers to, copied at submission, keyed as Argo
   * keys them: `namespaced/<template name>/<template>` or `cluster/<…>/<…>`. */
  storedTemplates?: Record<string, Template>;
  /** The artifact repository resolved at submission (client), which output artifacts go to. */
  artifactRepositoryRef?: ArtifactRepositoryRefStatus;
  artifactGCStatus?: ArtifactGCStatus;
  conditions?: WorkflowCondition[];
}

export interface Workflow {
  apiVersion: string;
  kind: 'Workflow';
  metadata: ObjectMeta;
  spec: WorkflowSpec;
  status?: WorkflowStatus;
}

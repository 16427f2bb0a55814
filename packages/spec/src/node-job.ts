// One node attempt as it travels from the engine to an executor: the shared vocabulary of both.
import type { Artifact, Container, ContainerSetContainer, DataTemplate, HttpRequestSpec, NodePhase, Parameter } from './types.js';

export interface NodeJob {
  workflow: { name: string; namespace: string; uid: string };
  nodeId: string;
  nodeName: string;
  attempt: number;
  templateName: string;
  /** Already substituted: image, command, args, env, workingDir. */
  container: Container;
  /** Argo's `sidecars`, substituted like `container`: started before it, stopped once it exits. */
  sidecars?: Container[];
  /** Argo's `initContainers`, substituted: run one after another before the others start; one that fails fails the node. */
  initContainers?: Container[];
  /** The pod's volumes that its containers mount by name, with where each comes from. */
  volumes?: NodeVolume[];
  /**
   * Argo's `containerSet`, substituted: its containers run in dependency order in the node's sandbox,
   * sharing its /tmp; the node's result is that of the one named `main`, else the last. `container` is then unused.
   * `retries`: how many times a failed container runs again inside the node, `retryDelayMs` after it failed.
   */
  containerSet?: { containers: ContainerSetContainer[]; retries?: number; retryDelayMs?: number };
  /** Argo's `daemon: true`: the node is reported started once its process runs, and runs until it exits or is stopped. */
  daemon?: boolean;
  /** A script template: the source is written to a file whose path follows command and args. */
  script?: { source: string };
  /** The template's `outputs.parameters`; an executor reads those with `valueFrom.path`. */
  outputParameters?: Parameter[];
  /** Bound input artifacts, placed at `path` before the main container starts: from the repository by `key`, or `raw.data`. */
  inputArtifacts?: Artifact[];
  /**
   * The template's `outputs.artifacts`, each with where to save it once the main container exits: the local
   * repository's `key`, or a location of another store (`s3`, `gcs`, `azure`, `artifactory`, …) with its key set.
   */
  outputArtifacts?: Artifact[];
  /**
   * Argo's archiveLogs: the artifact `main-logs` (its location's key `<keyFormat>/main.log`) to save the main
   * container's log to once it exits; the executor then adds it to the node's output artifacts. Absent: not saved.
   */
  logsArtifact?: Artifact;
  /** Stop the node after this many seconds (Argo's pod activeDeadlineSeconds). */
  activeDeadlineSeconds?: number;
  /** An HTTP template: the request to make instead of running a container. */
  http?: HttpRequestSpec;
  /** A data template: list the artifact paths and transform them, instead of running a container. */
  data?: DataTemplate;
  /** A resource template: one action on a Kubernetes object, instead of running a container (docs/resource-templates.md). */
  resource?: NodeResource;
  /** What a Kubernetes executor needs beyond the containers to build the node's pod; a local executor ignores it. */
  pod?: NodePodSettings;
}

/** Argo's `resource` template, substituted; its output parameters are the job's `outputParameters` (`valueFrom.jsonPath` / `jqFilter`). */
export interface NodeResource {
  action: 'get' | 'create' | 'apply' | 'delete' | 'replace' | 'patch';
  /** The object (or, for `patch` with mergeStrategy `json`, the patch) as YAML or JSON. */
  manifest?: string;
  /** For `patch`: strategic (the default), merge or json. */
  mergeStrategy?: 'strategic' | 'merge' | 'json';
  /** Argo's label-selector-like requirements over the object's fields, e.g. `status.succeeded > 0`. */
  successCondition?: string;
  failureCondition?: string;
  /** Make the workflow the object's owner, so Kubernetes deletes it with the workflow. */
  setOwnerReference?: boolean;
  /** kubectl's arguments: a target (`configmap name`), `--selector`, `--namespace`, … (docs/resource-templates.md). */
  flags?: string[];
}

/**
 * A node's pod-level settings: the template's over the workflow's defaults, as Argo's createWorkflowPod
 * merges them, already substituted. Kubernetes' own shapes (affinity, tolerations, …) are kept as written.
 */
export interface NodePodSettings {
  /** Argo's v2 pod name, the one the engine gives the node's pod everywhere (artifact keys, `podName`). */
  name: string;
  /** The workflow's `podMetadata`, then the template's `metadata`, over it. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The template's, else its boundary's (the steps or DAG it runs in), else the workflow's. */
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  affinity?: Record<string, unknown>;
  /** Hosts where earlier attempts failed, to avoid (`retryStrategy.affinity.nodeAntiAffinity`). */
  avoidHosts?: string[];
  securityContext?: Record<string, unknown>;
  serviceAccountName?: string;
  /** Only `false` is kept: Argo sets it on the pod only to turn the token off. */
  automountServiceAccountToken?: false;
  priorityClassName?: string;
  schedulerName?: string;
  /** The workflow's, then the template's. */
  hostAliases?: Record<string, unknown>[];
  imagePullSecrets?: { name: string }[];
  /** Pod-level resources (Argo's `podResources`). */
  resources?: Record<string, unknown>;
  /** Argo's `podSpecPatch`es, the workflow's first, then the template's: YAML or JSON, applied in order. */
  podSpecPatches?: string[];
}

/** How one container of a `containerSet` node ended, as a worker reports it; the engine keeps it on the node's Container child. */
export interface ContainerResult {
  name: string;
  phase: Extract<NodePhase, 'Succeeded' | 'Failed' | 'Error' | 'Omitted'>;
  exitCode?: number;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

/** Kubernetes' KeyToPath: a key of a ConfigMap or Secret written at `path` in its volume, with `mode`. */
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** What a configMap or secret volume source has in common: the keys written (all unless `items`), their modes. */
export interface ProjectedSource {
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
  [field: string]: unknown;
}

/**
 * A volume of a node's pod: an `emptyDir` of the pod's own; a `claim`, the workflow's own (from its
 * volumeClaimTemplates, gone with the workflow) or an existing one of the namespace; a `hostPath`; a
 * `configMap` or `secret` (files of its keys).
 */
export type NodeVolume = { name: string; readOnly?: boolean } & (
  /** `medium` and `sizeLimit` as written, where set (Kubernetes only). */
  | { emptyDir: true | { medium?: string; sizeLimit?: string } }
  | { claim: { name: string; ofWorkflow: boolean } }
  | { hostPath: { path: string; type?: string } }
  /** The `configMap` or `secret` volume source as written (items, defaultMode, optional…). */
  | { configMap: ProjectedSource & { name: string } }
  | { secret: ProjectedSource & { secretName: string } }
);

// The seam between workers and whatever runs a node: a local process, a Kubernetes pod, or nothing.
import type { Artifact, ContainerResult, NodeJob, Parameter } from '@regatta/spec';

/** What an executor runs: one node attempt (the engine's dispatch payload). */
export type NodeRunRequest = NodeJob;

export interface NodeRunResult {
  phase: 'Succeeded' | 'Failed' | 'Error';
  exitCode?: number;
  message?: string;
  /** `parameters` hold `{ name, value }` only; `artifacts` `{ name, path, key, archive? }`, where each was saved. */
  outputs: { result?: string; exitCode?: string; parameters?: Parameter[]; artifacts?: Artifact[] };
  startedAt: string;
  finishedAt: string;
  /** A containerSet node: how each of its containers ended (Argo's Container nodes). */
  containers?: ContainerResult[];
  /** The Kubernetes node its pod ran on. */
  hostNodeName?: string;
}

export interface RunContext {
  /** Aborting stops the node; the reason, when it is a string, becomes the node's message. */
  signal: AbortSignal;
  /** A sidecar's lines come with its name in front: `[<name>] <line>`. */
  onLog(stream: 'stdout' | 'stderr', line: string): void;
  /** Called once the main container's process has been spawned (after its sidecars); never for a node that could not start. */
  onStarted?(): void;
}

export interface Executor {
  readonly name: string;
  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult>;
  /** Lets go of what the executor holds open (the Kubernetes executor's watch), once no run is left. */
  close?(): void | Promise<void>;
}

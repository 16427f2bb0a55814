// The seam between workers and whatever runs a node: a local process, a Kubernetes pod, or nothing.
import type { Container, Parameter } from '@regatta/spec';

export interface NodeRunRequest {
  workflow: { name: string; namespace: string; uid: string };
  nodeId: string;
  nodeName: string;
  attempt: number;
  templateName: string;
  container: Container;
  script?: { source: string };
  outputParameters?: Parameter[];
}

export interface NodeRunResult {
  phase: 'Succeeded' | 'Failed' | 'Error';
  exitCode?: number;
  message?: string;
  outputs: { result?: string; exitCode?: string; parameters?: Parameter[] };
  startedAt: string;
  finishedAt: string;
}

export interface RunContext {
  signal: AbortSignal;
  onLog(stream: 'stdout' | 'stderr', line: string): void;
}

export interface Executor {
  readonly name: string;
  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult>;
}

/** Argo writes times as RFC 3339 at second precision. */
export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

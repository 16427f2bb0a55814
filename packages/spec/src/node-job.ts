// One node attempt as it travels from the engine to an executor: the shared vocabulary of both.
import type { Container, Parameter } from './types.js';

export interface NodeJob {
  workflow: { name: string; namespace: string; uid: string };
  nodeId: string;
  nodeName: string;
  attempt: number;
  templateName: string;
  /** Already substituted: image, command, args, env, workingDir. */
  container: Container;
  /** A script template: the source is written to a file whose path follows command and args. */
  script?: { source: string };
  /** The template's `outputs.parameters`; an executor reads those with `valueFrom.path`. */
  outputParameters?: Parameter[];
  /** Stop the node after this many seconds (Argo's pod activeDeadlineSeconds). */
  activeDeadlineSeconds?: number;
}

// The report the `wait` container leaves on its own pod, and the executor reads: Argo's older
// (pre-3.4) channel, the `workflows.argoproj.io/outputs` annotation, written with one merge patch.
// Least privilege: the pod's service account needs only `patch` on pods (deploy/kubernetes/wait-role.yaml),
// no custom resource. Kubernetes caps a pod's annotations at 256 KiB in all, so larger outputs are
// reported as an error instead (docs/kubernetes-executor.md).
import { isRecord, type Artifact, type Parameter } from '@regatta/spec';

export const ANNOTATION_OUTPUTS = 'workflows.argoproj.io/outputs';
/** Kubernetes' TotalAnnotationSizeLimitB, less room for the annotations Regatta and the user set. */
export const OUTPUTS_ANNOTATION_LIMIT = 256 * 1024 - 16 * 1024;

export interface PodOutputs {
  result?: string;
  exitCode?: string;
  parameters?: Parameter[];
  /** The output artifacts the wait container saved, each with its location (`{ name, path, key, archive? }`), as local mode reports them. */
  artifacts?: Artifact[];
  /** containerSet members that did not run, each with the dependency that did not succeed. */
  omitted?: { name: string; dependency: string }[];
  /** Why the outputs could not be collected (a parameter file missing without default, too large…): the node ends in Error. */
  error?: string;
}

/** The annotation's value for `outputs`; outputs too large for it become an error naming the size. */
export function encodeOutputs(outputs: PodOutputs): string {
  const text = JSON.stringify(outputs);
  if (Buffer.byteLength(text) <= OUTPUTS_ANNOTATION_LIMIT) return text;
  return JSON.stringify({
    exitCode: outputs.exitCode,
    error: `the node's outputs take ${Buffer.byteLength(text)} bytes, more than the ${OUTPUTS_ANNOTATION_LIMIT} a pod annotation can carry`,
  } satisfies PodOutputs);
}

/** The outputs on `annotations`, undefined where the wait container wrote none; a malformed value is an error. */
export function decodeOutputs(annotations: Record<string, string> | undefined): PodOutputs | undefined {
  const text = annotations?.[ANNOTATION_OUTPUTS];
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `annotation ${ANNOTATION_OUTPUTS}: not JSON` };
  }
  if (!isRecord(value)) return { error: `annotation ${ANNOTATION_OUTPUTS}: not an object` };
  const { result, exitCode, parameters, artifacts, omitted, error } = value;
  const wellFormed =
    (omitted === undefined || (Array.isArray(omitted) && omitted.every((o) => isRecord(o) && typeof o.name === 'string' && typeof o.dependency === 'string'))) &&
    (result === undefined || typeof result === 'string') &&
    (exitCode === undefined || typeof exitCode === 'string') &&
    (error === undefined || typeof error === 'string') &&
    (parameters === undefined || (Array.isArray(parameters) && parameters.every((p) => isRecord(p) && typeof p.name === 'string' && typeof p.value === 'string'))) &&
    (artifacts === undefined || (Array.isArray(artifacts) && artifacts.every((a) => isRecord(a) && typeof a.name === 'string')));
  if (!wellFormed) return { error: `annotation ${ANNOTATION_OUTPUTS}: fields of the wrong type` };
  return value as PodOutputs;
}

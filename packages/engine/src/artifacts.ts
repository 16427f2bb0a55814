// Argo's artifacts as the engine sees them: never their bytes, only where they lie. A pod's output
// artifacts get their repository keys at dispatch (Argo's default key format), a call's `from` names
// an earlier node's artifact (the lookup answers its JSON), and input binding turns either into a
// location the executor places in the node's sandbox.
import type { Arguments, Artifact, NodeOutputs, Template } from '@regatta/spec';
import { substituteString, type Lookup } from '@regatta/expr';
import type { WorkflowState } from './state.js';

/** The location fields a bound artifact carries on to the executor. */
type Location = Pick<Artifact, 'key' | 'archive' | 'raw'>;

/** Argo's input binding for artifacts: an argument wins, then the input's own `raw`; a string is the error. */
export function bindInputArtifacts(template: Template, args: Arguments | undefined): Artifact[] | string {
  const bound: Artifact[] = [];
  for (const input of template.inputs?.artifacts ?? []) {
    const argument = args?.artifacts?.find((a) => a.name === input.name);
    const location = (argument && locationOf(argument)) ?? locationOf(input);
    if (typeof location === 'string' && !input.optional) return `inputs.artifacts.${input.name}: ${location}`;
    if (typeof location !== 'object') {
      // An optional input without a source is simply not placed, as in Argo.
      if (input.optional) continue;
      return `inputs.artifacts.${input.name} was not supplied`;
    }
    bound.push({
      name: input.name,
      ...(input.path !== undefined && { path: input.path }),
      ...(input.mode !== undefined && { mode: input.mode }),
      ...(input.optional && { optional: true }),
      ...location,
    });
  }
  return bound;
}

/** Where an argument or input says its artifact lies: `from` (already substituted to an artifact's JSON), a key, or raw data. */
function locationOf(artifact: Artifact): Location | string | undefined {
  if (artifact.from !== undefined) {
    if (artifact.from.includes('{{')) return `unable to resolve ${artifact.from}`;
    let source: Artifact;
    try {
      source = JSON.parse(artifact.from) as Artifact;
    } catch {
      return `from "${artifact.from}" is not an artifact reference`;
    }
    return pickLocation(source);
  }
  return artifact.key !== undefined || artifact.raw !== undefined ? pickLocation(artifact) : undefined;
}

function pickLocation({ key, archive, raw }: Artifact): Location {
  return { ...(key !== undefined && { key }), ...(archive !== undefined && { archive }), ...(raw !== undefined && { raw }) };
}

/** A pod's output artifacts with their keys: `<workflow>/<pod>/<name>`, `.tgz` unless `archive: {none: {}}`. */
export function outputArtifactsOf(template: Template, workflowName: string, podName: string): Artifact[] | undefined {
  const declared = template.outputs?.artifacts;
  if (!declared?.length) return undefined;
  return declared.map((artifact) => ({
    ...artifact,
    key: `${workflowName}/${podName}/${artifact.name}${artifact.archive?.none ? '' : '.tgz'}`,
  }));
}

/** `outputs.artifacts.<name>` of a node, as JSON for a `from`; a missing one stays unresolved. */
export function artifactField(outputs: NodeOutputs | undefined, name: string): string | undefined {
  const artifact = outputs?.artifacts?.find((a) => a.name === name);
  return artifact && JSON.stringify(artifact);
}

/** A steps or DAG template's output artifacts, each taken `from` a child's; a string is the error. */
export function liftArtifacts(template: Template, scope: Lookup, now: string): Artifact[] | string | undefined {
  const declared = template.outputs?.artifacts;
  if (!declared?.length) return undefined;
  const lifted: Artifact[] = [];
  for (const artifact of declared) {
    const from = artifact.from === undefined ? undefined : substituteString(artifact.from, scope, { strict: false, now });
    const location = from === undefined ? undefined : locationOf({ name: artifact.name, from });
    if (typeof location !== 'object') {
      if (artifact.optional) continue;
      return `unable to resolve outputs.artifacts.${artifact.name}`;
    }
    lifted.push({ name: artifact.name, ...(artifact.path !== undefined && { path: artifact.path }), ...location });
  }
  return lifted;
}

/** Argo's global output artifacts: one with a `globalName` becomes `workflow.outputs.artifacts.<globalName>`. */
export function exportGlobalArtifacts(state: WorkflowState, template: Template | undefined, outputs: NodeOutputs | undefined): void {
  for (const declared of template?.outputs?.artifacts ?? []) {
    if (!declared.globalName) continue;
    const artifact = outputs?.artifacts?.find((a) => a.name === declared.name);
    if (!artifact) continue;
    const globals = ((state.status.outputs ??= {}).artifacts ??= []);
    const exported = { ...artifact, name: declared.globalName };
    const index = globals.findIndex((a) => a.name === declared.globalName);
    if (index >= 0) globals[index] = exported;
    else globals.push(exported);
    state.touchStatus();
  }
}

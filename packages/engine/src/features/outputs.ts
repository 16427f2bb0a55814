// Outputs of steps and DAG nodes: which leaf nodes a body ends in (for linking the graph), and the
// output parameters a body lifts from its children with `valueFrom.parameter`.
import type { NodeOutputs, Parameter, Template } from '@regatta/spec';
import { evaluateToText, substituteString, type ExpressionMode, type Lookup } from '@regatta/expr';
import type { WorkflowState } from '../core/state.js';
import { exportGlobalArtifacts, liftArtifacts } from './artifacts.js';
import { containerLeaves } from '../templates/container-set.js';

/** Argo's getOutboundNodes: a leaf is its own outbound node; a body has the ones it recorded. */
export function outboundNodes(state: WorkflowState, id: string): string[] {
  const node = state.node(id);
  if (!node) return [];
  if (node.type === 'Steps' || node.type === 'DAG') return node.outboundNodes ?? [];
  if (node.type === 'TaskGroup') return (node.children ?? []).flatMap((child) => outboundNodes(state, child));
  // A retried call leads on from its last attempt, as in Argo.
  if (node.type === 'Retry') return node.children?.length ? outboundNodes(state, node.children.at(-1)!) : [id];
  // A containerSet pod leads on from its containers that nothing depends on, as in Argo.
  if (node.type === 'Pod' || node.type === 'Container') return containerLeaves(state, node) ?? [id];
  return [id];
}

/** Resolves a body template's `outputs.parameters` and `outputs.artifacts`; a string result is the error message. */
export function liftOutputs(template: Template, scope: Lookup, mode: ExpressionMode): NodeOutputs | undefined | string {
  const parameters = liftParameters(template, scope, mode);
  const artifacts = liftArtifacts(template, scope, mode);
  // A tag left unevaluated for want of budget would otherwise pass on as a value, or its default.
  const spent = mode.budget?.exceeded;
  if (spent !== undefined && (parameters || artifacts)) return spent;
  if (typeof parameters === 'string') return parameters;
  if (typeof artifacts === 'string') return artifacts;
  if (!parameters && !artifacts) return undefined;
  return { ...(parameters && { parameters }), ...(artifacts && { artifacts }) };
}

function liftParameters(template: Template, scope: Lookup, mode: ExpressionMode): Parameter[] | undefined | string {
  const declared = template.outputs?.parameters;
  if (!declared || declared.length === 0) return undefined;
  const parameters: Parameter[] = [];
  for (const parameter of declared) {
    const source = parameter.valueFrom?.parameter;
    const expression = parameter.valueFrom?.expression;
    let value = parameter.value;
    if (source !== undefined) {
      const resolved = substituteString(source, scope, mode);
      value = resolved.includes('{{') ? parameter.valueFrom?.default : resolved;
    } else if (expression !== undefined) {
      // Argo's conditional outputs: an expression over the body's names, its default when it fails.
      try {
        value = evaluateToText(expression, scope, mode.now, mode.budget);
      } catch (error) {
        value = parameter.valueFrom?.default;
        if (value === undefined) return `outputs.parameters.${parameter.name}: ${(error as Error).message}`;
      }
    }
    if (value === undefined) return `unable to resolve outputs.parameters.${parameter.name}`;
    parameters.push({ name: parameter.name, value, ...(parameter.globalName && { globalName: parameter.globalName }) });
  }
  return parameters;
}

/**
 * Argo's global outputs: an output parameter with a `globalName` also becomes the workflow's output
 * parameter of that name, readable as `{{workflow.outputs.parameters.<globalName>}}`; artifacts alike.
 */
export function exportGlobalOutputs(state: WorkflowState, template: Template | undefined, outputs: NodeOutputs | undefined): void {
  exportGlobalArtifacts(state, template, outputs);
  for (const declared of template?.outputs?.parameters ?? []) {
    if (!declared.globalName) continue;
    const value = outputs?.parameters?.find((p) => p.name === declared.name)?.value;
    if (value === undefined) continue;
    const globals = ((state.status.outputs ??= {}).parameters ??= []);
    const existing = globals.find((p) => p.name === declared.globalName);
    if (existing) existing.value = value;
    else globals.push({ name: declared.globalName, value });
    state.touchStatus();
  }
}

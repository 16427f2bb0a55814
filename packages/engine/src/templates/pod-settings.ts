// A pod node's pod-level settings, merged as Argo's createWorkflowPod does: the template's over its
// boundary's (scheduling only) over the workflow's defaults. The executor turns them into the pod.
import type { NodePodSettings, NodeStatus, Template, WorkflowSpec } from '@regatta/spec';
import { substituteJson, substituteString } from '@regatta/expr';
import { lenient } from '../scope/expression-mode.js';
import { nodeTemplate } from './call-spec.js';
import { retryNodeOf } from '../features/retry.js';
import { chainLookups, globalLookup, inputsLookup } from '../scope/scope.js';
import type { Transition } from '../core/transition.js';

type Json = Record<string, unknown>;
type Metadata = { labels?: Record<string, string>; annotations?: Record<string, string> };

/** The workflow-level fields a pod takes, substituted with the workflow's globals (podSpecPatch aside). */
interface PodDefaults {
  nodeSelector?: Record<string, string>;
  tolerations?: Json[];
  affinity?: Json;
  securityContext?: Json;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  podPriorityClassName?: string;
  schedulerName?: string;
  hostAliases?: Json[];
  imagePullSecrets?: { name: string }[];
  podMetadata?: Metadata;
  podResources?: Json;
}

/** `template` is the node's, already substituted. */
export function podSettings(t: Transition, node: NodeStatus, template: Template, name: string): NodePodSettings {
  const spec = workflowDefaults(t);
  // Argo substitutes the workflow's podSpecPatch in the template's scope, its inputs included.
  const workflowPatch = t.state.workflow.spec.podSpecPatch;
  const scope = chainLookups(inputsLookup(node.inputs), globalLookup(t.state));
  const ownPatch = (template as { podSpecPatch?: unknown }).podSpecPatch;
  const own = template as Template & PodDefaults & { priorityClassName?: string };
  const mine = schedulingOf(own) ?? {};
  const boundary = Object.keys(mine).length < 3 ? (boundaryScheduling(t, node) ?? {}) : {};
  const pick = <K extends keyof Scheduling>(key: K): Scheduling[K] => mine[key] ?? boundary[key] ?? spec[key];
  const labels = { ...spec.podMetadata?.labels, ...template.metadata?.labels };
  const annotations = { ...spec.podMetadata?.annotations, ...template.metadata?.annotations };
  const hostAliases = [...(spec.hostAliases ?? []), ...(own.hostAliases ?? [])];
  const patches = [typeof workflowPatch === 'string' ? substituteString(workflowPatch, scope, lenient(t.state)) : undefined, ownPatch].filter(
    (patch): patch is string => typeof patch === 'string' && patch.trim() !== '',
  );
  const avoidHosts = failedHosts(t, node);
  const automount = own.automountServiceAccountToken ?? spec.automountServiceAccountToken;
  return {
    name,
    ...(Object.keys(labels).length > 0 && { labels }),
    ...(Object.keys(annotations).length > 0 && { annotations }),
    ...defined('nodeSelector', nonEmpty(pick('nodeSelector'))),
    ...defined('tolerations', pick('tolerations')),
    ...defined('affinity', pick('affinity')),
    ...(avoidHosts.length > 0 && { avoidHosts }),
    ...defined('securityContext', own.securityContext ?? spec.securityContext),
    ...defined('serviceAccountName', own.serviceAccountName || spec.serviceAccountName || undefined),
    ...(automount === false && { automountServiceAccountToken: false as const }),
    ...defined('priorityClassName', own.priorityClassName || spec.podPriorityClassName || undefined),
    ...defined('schedulerName', own.schedulerName || spec.schedulerName || undefined),
    ...(hostAliases.length > 0 && { hostAliases }),
    ...defined('imagePullSecrets', spec.imagePullSecrets),
    ...defined('resources', own.podResources ?? spec.podResources),
    ...(patches.length > 0 && { podSpecPatches: patches }),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || (Array.isArray(value) && value.length === 0) ? {} : { [key]: value }) as { [P in K]?: V };
}

function workflowDefaults(t: Transition): PodDefaults {
  const spec = t.state.workflow.spec as WorkflowSpec & PodDefaults;
  const { nodeSelector, tolerations, affinity, securityContext, serviceAccountName, automountServiceAccountToken, podPriorityClassName } = spec;
  const { schedulerName, hostAliases, imagePullSecrets, podMetadata, podResources } = spec;
  const all = { nodeSelector, tolerations, affinity, securityContext, serviceAccountName, automountServiceAccountToken, podPriorityClassName, schedulerName, hostAliases, imagePullSecrets, podMetadata, podResources };
  const fields = Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
  // Most workflows set none of them: nothing to substitute then.
  return Object.keys(fields).length > 0 ? (substituteJson(fields, globalLookup(t.state), lenient(t.state)) as PodDefaults) : {};
}

type Scheduling = Pick<PodDefaults, 'nodeSelector' | 'tolerations' | 'affinity'>;

/** The scheduling fields a template sets: Argo takes each from the first of template, boundary, workflow that sets it. */
function schedulingOf(template: Scheduling): Scheduling | undefined {
  const { nodeSelector, tolerations, affinity } = template;
  const set = { ...defined('nodeSelector', nonEmpty(nodeSelector)), ...defined('tolerations', tolerations), ...defined('affinity', affinity) };
  return Object.keys(set).length > 0 ? set : undefined;
}

function nonEmpty(map: Record<string, string> | undefined): Record<string, string> | undefined {
  return map && Object.keys(map).length > 0 ? map : undefined;
}

/** The scheduling fields of the steps or DAG template the node runs in, substituted with that node's inputs. */
function boundaryScheduling(t: Transition, node: NodeStatus): Scheduling | undefined {
  const boundary = node.boundaryID === undefined ? undefined : t.state.node(node.boundaryID);
  const template = boundary && (nodeTemplate(t.state, boundary) as (Template & Scheduling) | undefined);
  const scheduling = template && schedulingOf(template);
  if (!scheduling) return undefined;
  return substituteJson(scheduling, chainLookups(inputsLookup(boundary!.inputs), globalLookup(t.state)), lenient(t.state)) as Scheduling;
}

/**
 * Argo's `retryStrategy.affinity.nodeAntiAffinity`: the hosts of the failed pods under the node's Retry
 * node (its own, or its boundary's when a retried steps or DAG template runs it), known once a worker
 * reports `hostNodeName`.
 */
function failedHosts(t: Transition, node: NodeStatus): string[] {
  const boundary = node.boundaryID === undefined ? undefined : t.state.node(node.boundaryID);
  // An attempt is flagged `retried` only once dispatched: its Retry node is found by name.
  const retry = [node, boundary].map((attempt) => attempt && retryNodeOf(t, attempt)).find((found) => found?.type === 'Retry');
  const strategy = retry && (nodeTemplate(t.state, retry)?.retryStrategy as { affinity?: { nodeAntiAffinity?: unknown } } | undefined);
  if (!retry || strategy?.affinity?.nodeAntiAffinity === undefined) return [];
  const hosts = new Set<string>();
  const visit = (id: string) => {
    const found = t.state.node(id);
    if (!found) return;
    if (found.type === 'Pod' && (found.phase === 'Failed' || found.phase === 'Error') && found.hostNodeName) hosts.add(found.hostNodeName);
    for (const child of found.children ?? []) visit(child);
  };
  visit(retry.id);
  return [...hosts];
}

// Argo's resource templates: one action (get, create, apply, replace, patch, delete) on any kind of
// Kubernetes object, then, given a successCondition or failureCondition, the object read again until
// one holds, and the output parameters read from it by `jsonPath` or `jqFilter` (docs/resource-templates.md).
// The worker makes the calls itself (Argo runs kubectl in a pod): it needs API access, else the node fails.
import { setTimeout as sleep } from 'node:timers/promises';
import * as jq from 'jq-wasm';
import { parse as parseYaml } from 'yaml';
import type { NodeResource, Parameter } from '@regatta/spec';
import { endedSince } from '../../ended-since.js';
import type { Executor, NodeRunRequest, NodeRunResult, RunContext } from '../../executor.js';
import type { KubeClient } from '../kube-client.js';
import { describe, matches, parseConditions, type Requirement } from './conditions.js';
import { parseFlags, type ResourceFlags } from './flags.js';
import { jsonPathText } from './json-path.js';
import { apiErrorMessage, isNotFound, ResourceApi, type ObjectRef, type RequestOptions } from './resource-api.js';

/** Argo's executor reads the object again every 5 s while it waits for a condition. */
const POLL_INTERVAL_MS = 5000;
const FIELD_MANAGER = 'regatta';
const PATCH_TYPES = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' } as const;

export interface ResourceExecutorOptions {
  pollIntervalMs?: number;
}

type KubeObject = Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> };

export class ResourceExecutor implements Executor {
  readonly name = 'resource';
  private readonly api: ResourceApi | undefined;
  private readonly pollIntervalMs: number;

  /** Without a client, every resource node fails, saying how to give the worker API access. */
  constructor(
    private readonly kube: KubeClient | undefined,
    options: ResourceExecutorOptions = {},
  ) {
    this.api = kube?.config.makeApiClient(ResourceApi);
    this.pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  }

  async run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    const ended = endedSince();
    const spec = request.resource;
    if (!spec) return ended('Error', 'node has no resource');
    if (!this.api) return ended('Error', 'resource templates need access to a Kubernetes API: give the worker a kubeconfig (REGATTA_KUBECONFIG or --kubeconfig) or run it with --executor kubernetes');
    if (!Object.hasOwn(PAST, spec.action)) return ended('Error', `resource: action "${String(spec.action)}" is not one of ${Object.keys(PAST).join(', ')}`);
    try {
      const flags = parseFlags(spec.flags ?? []);
      const success = conditionOf(spec.successCondition, 'successCondition');
      const failure = conditionOf(spec.failureCondition, 'failureCondition');
      const manifest = manifestOf(spec);
      const target = await this.targetOf(spec, manifest, flags, request.workflow.namespace);
      let object = await this.act(spec, target, manifest, flags, request.workflow);
      // A created object's name is known only now (generateName).
      if (object) target.name = String(object.metadata?.name ?? target.name);
      context.onLog('stdout', `${target.kind.toLowerCase()}${target.name ? `/${target.name}` : ` -l ${flags.selector}`} ${PAST[spec.action]}`);
      if (!object) return ended('Succeeded', undefined);
      if (success || failure) {
        const verdict = await this.waitForCondition(target, object, success ?? [], failure ?? [], context.signal);
        if (typeof verdict === 'string') return ended('Failed', verdict);
        object = verdict;
      }
      const parameters = await outputParameters(request.outputParameters ?? [], request.outputParameters?.some(readsObject) ? await this.send('GET', target) : object);
      return { ...ended('Succeeded', undefined), outputs: parameters.length > 0 ? { parameters } : {} };
    } catch (error) {
      if (context.signal.aborted) return ended('Failed', typeof context.signal.reason === 'string' ? context.signal.reason : 'terminated');
      // Bad input is found before anything is sent, so it changes nothing.
      return ended('Error', `resource ${spec.action}: ${apiErrorMessage(error)}`);
    }
  }

  /** What the action works on: the flags' target, else the manifest's object, in the workflow's namespace unless it names one. */
  private async targetOf(spec: NodeResource, manifest: unknown, flags: ResourceFlags, namespace: string): Promise<ObjectRef> {
    if (flags.type !== undefined) {
      const { apiVersion, kind } = await this.kube!.call(() => this.api!.typeOf(flags.type!));
      return { apiVersion, kind, ...(flags.name && { name: flags.name }), namespace: flags.namespace ?? namespace };
    }
    if (spec.action === 'patch' && spec.mergeStrategy === 'json') throw new Error('a json patch needs its target in flags (e.g. [pod, my-pod])');
    if (!isObject(manifest)) throw new Error('the manifest is not an object, and flags name no target');
    const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
    if (typeof manifest.kind !== 'string' || typeof manifest.apiVersion !== 'string') throw new Error('the manifest needs apiVersion and kind');
    const name = typeof metadata.name === 'string' ? metadata.name : undefined;
    if (!name && spec.action !== 'create') throw new Error(`${spec.action} needs metadata.name in the manifest`);
    const ns = typeof metadata.namespace === 'string' ? metadata.namespace : (flags.namespace ?? namespace);
    return { apiVersion: manifest.apiVersion, kind: manifest.kind, ...(name && { name }), namespace: ns };
  }

  private async act(spec: NodeResource, target: ObjectRef, manifest: unknown, flags: ResourceFlags, workflow: NodeRunRequest['workflow']): Promise<KubeObject | undefined> {
    const body = spec.setOwnerReference && isObject(manifest) ? withOwner(manifest, workflow) : manifest;
    const needsName = (): void => {
      if (!target.name) throw new Error(`${spec.action} needs a name (in the manifest or the flags)`);
    };
    switch (spec.action) {
      case 'get':
        needsName();
        return this.send('GET', target);
      case 'create':
        return this.send('POST', { ...target, name: undefined }, { body });
      case 'apply':
        needsName();
        // Server-side apply, taking over fields other managers set, as a client-side `kubectl apply` overwrites them.
        return this.send('PATCH', target, { body, contentType: 'application/apply-patch+yaml', query: { fieldManager: FIELD_MANAGER, force: 'true' } });
      case 'replace':
        needsName();
        return this.send('PUT', target, { body });
      case 'patch':
        needsName();
        return this.send('PATCH', target, { body, contentType: PATCH_TYPES[spec.mergeStrategy ?? 'strategic'] });
      case 'delete':
        if (flags.selector !== undefined) return void (await this.send('DELETE', { ...target, name: undefined }, { query: { labelSelector: flags.selector } }));
        needsName();
        // Argo deletes with --ignore-not-found.
        await this.send('DELETE', target).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
        return undefined;
    }
  }

  /** The object once a failure requirement holds (its text returned) or every success requirement does. */
  private async waitForCondition(target: ObjectRef, first: KubeObject, success: Requirement[], failure: Requirement[], signal: AbortSignal): Promise<KubeObject | string> {
    let object = first;
    for (;;) {
      const failed = failure.find((requirement) => matches(object, requirement));
      if (failed) return `failure condition '${describe(failed)}' evaluated true`;
      if (success.every((requirement) => matches(object, requirement))) return object;
      await sleep(this.pollIntervalMs, undefined, { signal });
      object = await this.send('GET', target);
    }
  }

  private async send(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', target: ObjectRef, options?: RequestOptions): Promise<KubeObject> {
    return (await this.kube!.call(() => this.api!.send(method, target, options))) as KubeObject;
  }
}

const PAST: Record<NodeResource['action'], string> = { get: 'read', create: 'created', apply: 'applied', replace: 'replaced', patch: 'patched', delete: 'deleted' };

function conditionOf(text: string | undefined, field: string): Requirement[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseConditions(text);
  } catch (error) {
    throw new Error(`${field}: ${(error as Error).message}`);
  }
}

function manifestOf(spec: NodeResource): unknown {
  if (spec.manifest === undefined) return undefined;
  try {
    return parseYaml(spec.manifest) as unknown;
  } catch (error) {
    throw new Error(`manifest: ${(error as Error).message}`);
  }
}

/** Argo's owner: the workflow, as a controller reference (docs/resource-templates.md says what stands for it). */
function withOwner(manifest: KubeObject, workflow: NodeRunRequest['workflow']): KubeObject {
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  const owner = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: workflow.name, uid: workflow.uid, controller: true, blockOwnerDeletion: true };
  const owners = Array.isArray(metadata.ownerReferences) ? (metadata.ownerReferences as unknown[]) : [];
  return { ...manifest, metadata: { ...metadata, ownerReferences: [...owners, owner] } };
}

function readsObject(parameter: Parameter): boolean {
  return parameter.valueFrom?.jsonPath !== undefined || parameter.valueFrom?.jqFilter !== undefined;
}

/** Each parameter read by jsonPath or jqFilter; one that cannot be read takes its default, else fails the node. */
async function outputParameters(parameters: Parameter[], object: KubeObject): Promise<Parameter[]> {
  const values: Parameter[] = [];
  for (const parameter of parameters.filter(readsObject)) {
    const { jsonPath, jqFilter, default: fallback } = parameter.valueFrom!;
    try {
      const value = jsonPath !== undefined ? jsonPathText(object, jsonPath) : (await jq.raw(object, jqFilter!, ['-r', '-c'])).trim();
      values.push({ name: parameter.name, value });
    } catch (error) {
      if (fallback === undefined) throw new Error(`output parameter ${parameter.name}: ${(error as Error).message}`);
      values.push({ name: parameter.name, value: fallback });
    }
  }
  return values;
}

function isObject(value: unknown): value is KubeObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

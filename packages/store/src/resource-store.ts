// WorkflowTemplates, ClusterWorkflowTemplates, ConfigMaps, CronWorkflows and WorkflowEventBindings in
// Redis: a hash per kind, one field per resource (`<namespace>/<name>`, or `<name>` for the cluster-scoped kind) holding its JSON. Like the
// Kubernetes API server, the store gives each resource its uid and creationTimestamp.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { argoTime, type ClusterWorkflowTemplate, type ConfigMap, type CronWorkflow, type WorkflowEventBinding, type WorkflowTemplate } from '@regatta/spec';
import { StoreError } from './errors.js';
import { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface ResourceOf {
  WorkflowTemplate: WorkflowTemplate;
  ClusterWorkflowTemplate: ClusterWorkflowTemplate;
  ConfigMap: ConfigMap;
  CronWorkflow: CronWorkflow;
  WorkflowEventBinding: WorkflowEventBinding;
}

export type ResourceKind = keyof ResourceOf;

/** Tries of `replace` against writers changing the same resource at once. */
const REPLACE_ATTEMPTS = 5;

/** What `kubectl apply` reports for each resource. */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

export class ResourceStore {
  private readonly keys: Keys;
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = new Keys(prefix);
    this.script = registerScripts(redis);
  }

  /** Stores new resources of one kind, all or none: if one of them exists, throws EXISTS naming it. */
  async create<K extends ResourceKind>(kind: K, resources: ResourceOf[K][]): Promise<ResourceOf[K][]> {
    const created = resources.map((resource) => stamped(resource));
    const args = created.flatMap((resource) => [fieldOf(kind, resource), JSON.stringify(resource)]);
    const taken = Number(await this.script('createResources', [this.hashOf(kind)], args));
    const existing = resources[taken - 1];
    if (existing) throw new StoreError('EXISTS', `${describe(kind, existing)} already exists`);
    return created;
  }

  /** Creates or replaces each resource, as `kubectl apply` does, keeping the uid and creation time. */
  async apply<K extends ResourceKind>(kind: K, resources: ResourceOf[K][]): Promise<ApplyOutcome[]> {
    if (resources.length === 0) return [];
    const fields = resources.map((resource) => fieldOf(kind, resource));
    const before = await this.redis.hmget(this.hashOf(kind), ...fields);
    const writes: string[] = [];
    const outcomes = resources.map((resource, i): ApplyOutcome => {
      const old = before[i] ? (JSON.parse(before[i]) as ResourceOf[K]) : undefined;
      const json = JSON.stringify(stamped(resource, old?.metadata));
      if (json === before[i]) return 'unchanged';
      writes.push(fields[i]!, json);
      return old ? 'configured' : 'created';
    });
    if (writes.length > 0) await this.redis.hset(this.hashOf(kind), ...writes);
    return outcomes;
  }

  /**
   * Replaces an existing resource, keeping its uid and creation time, as an update does; undefined
   * (nothing written) when there is none. One changed meanwhile is read again and replaced over.
   */
  async replace<K extends ResourceKind>(kind: K, resource: ResourceOf[K]): Promise<ResourceOf[K] | undefined> {
    const field = fieldOf(kind, resource);
    for (let attempt = 1; attempt <= REPLACE_ATTEMPTS; attempt++) {
      const before = await this.redis.hget(this.hashOf(kind), field);
      if (!before) return undefined;
      const replaced = stamped(resource, (JSON.parse(before) as ResourceOf[K]).metadata);
      const outcome = Number(await this.script('replaceResource', [this.hashOf(kind)], [field, before, JSON.stringify(replaced)]));
      if (outcome === 1) return replaced;
      if (outcome === 0) return undefined;
    }
    throw new StoreError('STALE', `${describe(kind, resource)} kept changing while it was being replaced; try again`);
  }

  /** `namespace` is ignored for the cluster-scoped kind. */
  async get<K extends ResourceKind>(kind: K, namespace: string, name: string): Promise<ResourceOf[K] | undefined> {
    const json = await this.redis.hget(this.hashOf(kind), field(kind, namespace, name));
    return json ? (JSON.parse(json) as ResourceOf[K]) : undefined;
  }

  /** The namespace's resources of a kind (all of them for the cluster-scoped kind), by name. */
  async list<K extends ResourceKind>(kind: K, namespace: string): Promise<ResourceOf[K][]> {
    const pattern = kind === 'ClusterWorkflowTemplate' ? '*' : `${escapeGlob(namespace)}/*`;
    // HSCAN may return a field twice while the hash grows; the map keeps one.
    const found = new Map<string, ResourceOf[K]>();
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.hashOf(kind), cursor, 'MATCH', pattern, 'COUNT', 500);
      for (let i = 0; i + 1 < entries.length; i += 2) found.set(entries[i]!, JSON.parse(entries[i + 1]!) as ResourceOf[K]);
      cursor = next;
    } while (cursor !== '0');
    return [...found.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  async delete(kind: ResourceKind, namespace: string, name: string): Promise<boolean> {
    return (await this.redis.hdel(this.hashOf(kind), field(kind, namespace, name))) === 1;
  }

  private hashOf(kind: ResourceKind): string {
    const keys = this.keys.resources;
    if (kind === 'CronWorkflow') return keys.cronWorkflows;
    if (kind === 'WorkflowEventBinding') return keys.workflowEventBindings;
    return kind === 'WorkflowTemplate' ? keys.workflowTemplates : kind === 'ClusterWorkflowTemplate' ? keys.clusterWorkflowTemplates : keys.configMaps;
  }
}

function fieldOf(kind: ResourceKind, resource: ResourceOf[ResourceKind]): string {
  const { name, namespace = 'default' } = resource.metadata;
  if (!name) throw new Error(`a stored ${kind} needs metadata.name`);
  return field(kind, namespace, name);
}

function field(kind: ResourceKind, namespace: string, name: string): string {
  return kind === 'ClusterWorkflowTemplate' ? name : `${namespace}/${name}`;
}

/** The resource with the server-given fields: kept from the stored one, or new. */
function stamped<R extends ResourceOf[ResourceKind]>(resource: R, old?: R['metadata']): R {
  const metadata = { ...resource.metadata, uid: old?.uid ?? randomUUID(), creationTimestamp: old?.creationTimestamp ?? argoTime() };
  return { ...resource, metadata };
}

function describe(kind: ResourceKind, resource: ResourceOf[ResourceKind]): string {
  const { name, namespace = 'default' } = resource.metadata;
  return kind === 'ClusterWorkflowTemplate' ? `${kind} "${name}"` : `${kind} "${name}" in namespace "${namespace}"`;
}

/** Namespaces are DNS labels, but a pattern must not let a caller's text match more than it names. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

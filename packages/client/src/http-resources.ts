// The stored resources a CLI in server mode keeps through the server (Argo's WorkflowTemplateService,
// ClusterWorkflowTemplateService, CronWorkflowService), with the ResourceStore's methods, so that a
// command uses either. Unlike the store, the server takes one resource a request: a create or an
// update of several is not all or none (each checked resource is stored before the next is sent).
import type { ResourceOf } from '@regatta/store';
import { ClientError } from './client.js';
import { callServer, type HttpClientOptions } from './http-client.js';

export type ServedKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';

const ROUTES: Record<ServedKind, { base: string; namespaced: boolean; field: string }> = {
  WorkflowTemplate: { base: '/api/v1/workflow-templates', namespaced: true, field: 'template' },
  ClusterWorkflowTemplate: { base: '/api/v1/cluster-workflow-templates', namespaced: false, field: 'template' },
  CronWorkflow: { base: '/api/v1/cron-workflows', namespaced: true, field: 'cronWorkflow' },
};

export class HttpResourceClient {
  constructor(private readonly options: HttpClientOptions) {}

  async create<K extends ServedKind>(kind: K, resources: ResourceOf[K][]): Promise<ResourceOf[K][]> {
    const created: ResourceOf[K][] = [];
    for (const resource of resources) created.push(await this.call('POST', this.route(kind, resource.metadata.namespace), { [ROUTES[kind].field]: resource }));
    return created;
  }

  /** Each resource updated where it exists, else created. */
  async apply<K extends ServedKind>(kind: K, resources: ResourceOf[K][]): Promise<('created' | 'configured')[]> {
    const outcomes: ('created' | 'configured')[] = [];
    for (const resource of resources) {
      const { namespace, name = '' } = resource.metadata;
      const body = { [ROUTES[kind].field]: resource };
      if (await this.get(kind, namespace ?? '', name)) {
        await this.call('PUT', this.route(kind, namespace, name), body);
        outcomes.push('configured');
      } else {
        await this.call('POST', this.route(kind, namespace), body);
        outcomes.push('created');
      }
    }
    return outcomes;
  }

  async get<K extends ServedKind>(kind: K, namespace: string, name: string): Promise<ResourceOf[K] | undefined> {
    try {
      return await this.call<ResourceOf[K]>('GET', this.route(kind, namespace, name));
    } catch (error) {
      if (error instanceof ClientError && error.code === 'NotFound') return undefined;
      throw error;
    }
  }

  async list<K extends ServedKind>(kind: K, namespace: string): Promise<ResourceOf[K][]> {
    return (await this.call<{ items: ResourceOf[K][] | null }>('GET', this.route(kind, namespace))).items ?? [];
  }

  async delete(kind: ServedKind, namespace: string, name: string): Promise<boolean> {
    if (!(await this.get(kind, namespace, name))) return false;
    await this.call('DELETE', this.route(kind, namespace, name));
    return true;
  }

  private route(kind: ServedKind, namespace: string | undefined, name?: string): string {
    const { base, namespaced } = ROUTES[kind];
    const parts = [...(namespaced ? [namespace || 'default'] : []), ...(name === undefined ? [] : [name])];
    return [base, ...parts.map(encodeURIComponent)].join('/');
  }

  private call<T>(method: string, route: string, body?: unknown): Promise<T> {
    return callServer(this.options, method, route, body);
  }
}

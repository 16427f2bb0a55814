// Any kind of object through the API server, by the dynamic object API (KubernetesObjectApi): its
// discovery finds a kind's plural and scope. Requests go out as written and come back as plain JSON
// (not client-node's typed models, which turn timestamps into Dates), so outputs read as kubectl's.
import { ApiException, HttpMethod, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

export interface RequestOptions {
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
}

interface DiscoveredResource {
  name: string;
  singularName?: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
}

export class ResourceApi extends KubernetesObjectApi {
  /** One request on the object (`name` unset: on its collection); the response as JSON. */
  async send(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', ref: ObjectRef, options: RequestOptions = {}): Promise<Record<string, unknown>> {
    const spec: KubernetesObject = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { ...(ref.name && { name: ref.name }), ...(ref.namespace && { namespace: ref.namespace }) } };
    const path = await this.specUriPath(spec, ref.name ? 'read' : 'list');
    return this.raw(method, path, options);
  }

  /** kubectl's resource types (`configmap`, `configmaps`, `cm`, `jobs.batch`, `Job`) as an apiVersion and kind, by discovery. */
  async typeOf(type: string): Promise<{ apiVersion: string; kind: string }> {
    const [word = '', ...groupParts] = type.split('.');
    const group = groupParts.join('.');
    const name = word.toLowerCase();
    const versions = group === '' ? ['v1', ...(await this.groupVersions())] : (await this.groupVersions()).filter((version) => version.startsWith(`${group}/`));
    for (const apiVersion of versions) {
      const list = (await this.raw('GET', this.apiVersionPath(apiVersion))) as { resources?: DiscoveredResource[] };
      const found = (list.resources ?? []).find((r) => !r.name.includes('/') && [r.name, r.singularName, r.kind.toLowerCase(), ...(r.shortNames ?? [])].includes(name));
      if (found) return { apiVersion, kind: found.kind };
    }
    throw new Error(`the server doesn't have a resource type "${type}"`);
  }

  /** Each API group's preferred version (`apps/v1`, …). */
  private async groupVersions(): Promise<string[]> {
    const groups = (await this.raw('GET', '/apis')) as { groups?: { preferredVersion?: { groupVersion: string } }[] };
    return (groups.groups ?? []).flatMap((g) => (g.preferredVersion ? [g.preferredVersion.groupVersion] : []));
  }

  private async raw(method: keyof typeof HttpMethod, path: string, { query, body, contentType }: RequestOptions = {}): Promise<Record<string, unknown>> {
    const context = this.configuration.baseServer.makeRequestContext(path, HttpMethod[method]);
    context.setHeaderParam('Accept', 'application/json');
    for (const [name, value] of Object.entries(query ?? {})) context.setQueryParam(name, value);
    if (body !== undefined) {
      context.setHeaderParam('Content-Type', contentType ?? 'application/json');
      context.setBody(typeof body === 'string' ? body : JSON.stringify(body));
    }
    // `any` keeps the response as parsed JSON.
    return (await this.requestPromise(context, 'any')) as unknown as Record<string, unknown>;
  }
}

/** The API server's words for a failed request: its Status message, else the HTTP code. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body = (typeof error.body === 'string' ? safeJson(error.body) : error.body) as { message?: string } | undefined;
    return body?.message ?? `HTTP ${error.code}`;
  }
  return (error as Error).message;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && error.code === 404;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

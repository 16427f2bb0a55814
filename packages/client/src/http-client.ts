// The client's second transport: the same operations over a Regatta (or Argo) server's REST API,
// for a CLI or UI that reaches the server rather than Redis. Argo's error answers become the
// client's errors (404 → NotFound, 409 → FailedPrecondition); watches and followed logs read the
// server's JSON-lines streams, merging a watch's node deltas into the workflow held. (A stream does
// not say where its backlog ends, so LogOptions.onCaughtUp is not called here.)
import { workflowEnded, type NodeStatus, type Workflow, type WorkflowStatus } from '@regatta/spec';
import type { WorkflowSummary } from '@regatta/store';
import { listFilter, newestFirst } from './list-filter.js';
import {
  ClientError,
  type ListOptions,
  type LogEntry,
  type LogOptions,
  type SetOptions,
  type StopOptions,
  type SubmitFromOptions,
  type SubmittableKind,
  type WatchOptions,
  type WorkflowClient,
} from './client.js';

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:2746 */
  baseUrl: string;
  /** A bearer token (`regatta auth token create`); none for a server in auth mode server. */
  token?: string;
}

/** An answer of the server that is neither a 404 nor a 409: its status and Argo's message. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

type HeldWorkflow = Workflow & { status: WorkflowStatus & { nodes: Record<string, NodeStatus> } };

const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');
const commaPairs = (record: Record<string, string> | undefined) => (record ? Object.entries(record).map(([k, v]) => `${k}=${v}`).join(',') : undefined);

export class HttpWorkflowClient implements WorkflowClient {
  private readonly baseUrl: string;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async lintWorkflow(workflow: Workflow): Promise<void> {
    await this.call('POST', `/api/v1/workflows/${path(this.namespaceOf(workflow))}/lint`, { workflow });
  }

  createWorkflow(workflow: Workflow): Promise<Workflow> {
    return this.call('POST', `/api/v1/workflows/${path(this.namespaceOf(workflow))}`, { workflow });
  }

  submitFrom(kind: SubmittableKind, name: string, options: SubmitFromOptions): Promise<Workflow> {
    const namespace = options.namespace ?? 'default';
    const submitOptions = {
      ...(options.name && { name: options.name }),
      ...(options.generateName && { generateName: options.generateName }),
      ...(options.entrypoint && { entryPoint: options.entrypoint }),
      ...(options.parameters && { parameters: Object.entries(options.parameters).map(([k, v]) => `${k}=${v}`) }),
      ...(options.labels && { labels: commaPairs(options.labels) }),
      ...(options.annotations && { annotations: commaPairs(options.annotations) }),
    };
    return this.call('POST', `/api/v1/workflows/${path(namespace)}/submit`, { resourceKind: kind, resourceName: name, submitOptions });
  }

  /**
   * The server selects by label (Argo's `listOptions.labelSelector`; no namespace lists every one);
   * phases, times, prefix and limit are applied here, as Argo's CLI applies `--since`, `--older` and
   * `--prefix`, with the Redis client's own filter, so both transports list the same.
   */
  async listWorkflows(namespace: string | undefined, options: ListOptions = {}): Promise<WorkflowSummary[]> {
    const matches = listFilter(options);
    const query = new URLSearchParams({ fields: (options.podPhases ? [...LIST_FIELDS, 'items.status.nodes'] : LIST_FIELDS).join(',') });
    if (options.labelSelector !== undefined) query.set('listOptions.labelSelector', options.labelSelector);
    const list = await this.call<{ items: Workflow[] | null }>('GET', `/api/v1/workflows/${namespace === undefined ? '' : path(namespace)}?${query}`);
    const found = (list.items ?? [])
      .map((item) => summaryOfItem(item, namespace ?? '', options.podPhases === true))
      .filter(matches)
      .sort(newestFirst);
    return options.limit === undefined ? found : found.slice(0, options.limit);
  }

  getWorkflow(namespace: string, name: string): Promise<Workflow> {
    return this.call('GET', `/api/v1/workflows/${path(namespace, name)}`);
  }

  async watchWorkflow(namespace: string, name: string, onChange: (workflow: Workflow) => void, _options: WatchOptions = {}): Promise<Workflow> {
    let held: HeldWorkflow | undefined;
    let ended: HeldWorkflow | undefined;
    await this.stream(`/api/v1/workflow-events/${path(namespace)}?listOptions.fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`, (result, stop) => {
      const { type, object, replace } = result as { type: string; object: HeldWorkflow; replace?: boolean };
      if (type === 'DELETED') throw new ClientError('NotFound', `workflow "${name}" was deleted while being watched`);
      // A MODIFIED object carries only the nodes that changed (and the spec if it did), unless it replaces the workflow whole.
      held =
        !held || type === 'ADDED' || replace
          ? object
          : { ...object, spec: object.spec ?? held.spec, status: { ...object.status, nodes: { ...held.status.nodes, ...object.status.nodes } } };
      onChange(held);
      if (workflowEnded(held.status.phase)) {
        ended = held;
        stop();
      }
    });
    if (!ended) throw new Error(`the watch of workflow "${name}" ended before the workflow did`);
    return ended;
  }

  /**
   * The server filters by node (`podName`), pattern (`grep`) and time (`logOptions.sinceTime`, whole
   * seconds); the container, the exact time and, unless followed, the tail (the last lines of the
   * workflow, where Argo's `logOptions.tailLines` counts per pod) are applied here.
   */
  async workflowLogs(namespace: string, name: string, onEntry: (entry: LogEntry) => void, options: LogOptions = {}): Promise<void> {
    const { tailLines, sinceTime } = options;
    if (tailLines !== undefined && !(Number.isInteger(tailLines) && tailLines >= 0)) {
      throw new ClientError('InvalidArgument', `tailLines: must be a whole number, got ${tailLines}`);
    }
    const since = sinceTime === undefined ? undefined : Date.parse(sinceTime);
    if (since !== undefined && Number.isNaN(since)) throw new ClientError('InvalidArgument', `sinceTime: not a time: "${sinceTime}"`);
    const query = new URLSearchParams();
    const pod = options.podName ?? options.nodeId;
    if (pod) query.set('podName', pod);
    if (options.grep !== undefined) query.set('grep', options.grep);
    if (since !== undefined) query.set('logOptions.sinceTime.seconds', String(Math.floor(since / 1000)));
    if (options.follow) query.set('logOptions.follow', 'true');
    if (options.follow && tailLines !== undefined) query.set('logOptions.tailLines', String(tailLines));
    const held: LogEntry[] = [];
    const keep = (entry: LogEntry) =>
      (options.nodeId === undefined || entry.nodeId === options.nodeId) &&
      (options.podName === undefined || entry.podName === options.podName) &&
      (options.container === undefined || entry.container === options.container) &&
      (since === undefined || Date.parse(entry.time) >= since);
    const sink = !options.follow && tailLines !== undefined ? (entry: LogEntry) => void held.push(entry) : onEntry;
    await this.stream(
      `/api/v1/workflows/${path(namespace, name)}/log?${query}`,
      (result) => {
        const entry = entryOf(result as Partial<LogEntry> & { content: string; podName: string });
        if (keep(entry)) sink(entry);
      },
      options.signal,
    );
    if (sink !== onEntry) held.slice(held.length - Math.min(tailLines!, held.length)).forEach(onEntry);
  }

  async deleteWorkflow(namespace: string, name: string): Promise<void> {
    await this.call('DELETE', `/api/v1/workflows/${path(namespace, name)}`);
  }

  async stopWorkflow(namespace: string, name: string, options: StopOptions = {}): Promise<void> {
    await this.control(namespace, name, 'stop', { ...(options.nodeFieldSelector && { nodeFieldSelector: options.nodeFieldSelector }), ...(options.message && { message: options.message }) });
  }

  async terminateWorkflow(namespace: string, name: string): Promise<void> {
    await this.control(namespace, name, 'terminate', {});
  }

  async suspendWorkflow(namespace: string, name: string): Promise<void> {
    await this.control(namespace, name, 'suspend', {});
  }

  async resumeWorkflow(namespace: string, name: string, options: { nodeFieldSelector?: string } = {}): Promise<void> {
    await this.control(namespace, name, 'resume', options.nodeFieldSelector ? { nodeFieldSelector: options.nodeFieldSelector } : {});
  }

  async retryWorkflow(namespace: string, name: string): Promise<void> {
    await this.control(namespace, name, 'retry', {});
  }

  async setWorkflow(namespace: string, name: string, options: SetOptions): Promise<void> {
    const { outputParameters, ...rest } = options;
    await this.control(namespace, name, 'set', { ...rest, ...(outputParameters && { outputParameters: JSON.stringify(outputParameters) }) });
  }

  resubmitWorkflow(namespace: string, name: string, options: { memoized?: boolean } = {}): Promise<Workflow> {
    return this.control(namespace, name, 'resubmit', options.memoized ? { memoized: true } : {});
  }

  private control<T>(namespace: string, name: string, action: string, body: object): Promise<T> {
    return this.call('PUT', `/api/v1/workflows/${path(namespace, name)}/${action}`, body);
  }

  private namespaceOf(workflow: Workflow): string {
    return workflow.metadata.namespace ?? 'default';
  }

  private headers(): Record<string, string> {
    return authorization(this.options);
  }

  private call<T>(method: string, route: string, body?: unknown): Promise<T> {
    return callServer(this.options, method, route, body);
  }

  /** Reads a JSON-lines stream, handing each result to `onResult` until the server ends it or `stop` is called. */
  private async stream(route: string, onResult: (result: unknown, stop: () => void) => void, signal?: AbortSignal): Promise<void> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    signal?.addEventListener('abort', stop);
    try {
      const response = await fetch(`${this.baseUrl}${route}`, { headers: this.headers(), signal: abort.signal });
      if (!response.ok) throw await errorOf(response);
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, at);
          buffer = buffer.slice(at + 1);
          if (line.trim() !== '') onResult((JSON.parse(line) as { result: unknown }).result, stop);
          if (abort.signal.aborted) return;
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }
}

const LIST_FIELDS = [
  ...['name', 'namespace', 'uid', 'creationTimestamp', 'labels'].map((f) => `items.metadata.${f}`),
  'items.spec.priority',
  'items.spec.arguments.parameters',
  ...['phase', 'startedAt', 'finishedAt', 'message'].map((f) => `items.status.${f}`),
];

/** A listed workflow (projected to LIST_FIELDS) as the store summarises one. */
function summaryOfItem(item: Workflow, namespace: string, withPodPhases: boolean): WorkflowSummary {
  const { name = '', uid = '', creationTimestamp, labels } = item.metadata;
  const { priority } = (item.spec ?? {}) as { priority?: unknown };
  const parameters = item.spec?.arguments?.parameters;
  const status = item.status;
  return {
    name,
    namespace: item.metadata.namespace ?? namespace,
    uid,
    phase: status?.phase ?? '',
    ...(creationTimestamp !== undefined && { creationTimestamp }),
    ...(status?.startedAt && { startedAt: status.startedAt }),
    ...(status?.finishedAt && { finishedAt: status.finishedAt }),
    ...(status?.message && { message: status.message }),
    ...(labels && { labels }),
    ...(typeof priority === 'number' && { priority }),
    ...(parameters?.length && { parameters: Object.fromEntries(parameters.map((p) => [p.name, String(p.value ?? '')])) }),
    ...(withPodPhases && { podPhases: podPhasesOf(Object.values(status?.nodes ?? {})) }),
  };
}

function podPhasesOf(nodes: NodeStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { type, phase } of nodes) if (type === 'Pod') counts[phase] = (counts[phase] ?? 0) + 1;
  return counts;
}

/** A log result as the server sends it: Argo's entries name no container (a pod's own is `main`) nor time. */
const entryOf = (entry: Partial<LogEntry> & { content: string; podName: string }): LogEntry => ({
  nodeId: entry.nodeId ?? entry.podName,
  displayName: entry.displayName ?? entry.podName,
  podName: entry.podName,
  container: entry.container ?? 'main',
  content: entry.content,
  time: entry.time ?? new Date().toISOString(),
});

const authorization = (options: HttpClientOptions): Record<string, string> => (options.token ? { authorization: `Bearer ${options.token}` } : {});

/** One request to the server at `options.baseUrl`; its JSON answer, or the error Argo's answer stands for. */
export async function callServer<T>(options: HttpClientOptions, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${options.baseUrl.replace(/\/+$/, '')}${route}`, {
    method,
    headers: { ...authorization(options), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<Error> {
  const text = await response.text();
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not Argo's JSON: the text as it came
  }
  if (response.status === 404) return new ClientError('NotFound', message);
  if (response.status === 409) return new ClientError('FailedPrecondition', message);
  return new HttpStatusError(response.status, `${response.status} ${response.statusText}: ${message}`);
}

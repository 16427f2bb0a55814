// Argo's HTTP templates: the node is one HTTP request, made by the worker (Argo's agent). The response
// body is the node's `result`; `successCondition` (an expression over `request.*` and `response.*`)
// decides its phase, else any status below 400 succeeds. The request keeps to the worker's egress
// policy and response cap (http-request.ts). A header's value may come from a Secret of the workflow's
// namespace (`valueFrom.secretKeyRef`), read when the node starts; it never shows in the node's message.
import { evaluateExpression } from '@regatta/expr';
import { MAX_HTTP_TIMEOUT_SECONDS, type HttpHeader, type HttpRequestSpec } from '@regatta/spec';
import { NO_CONFIG_SOURCES, readKey, type ConfigSources } from '../config-sources/config-sources.js';
import { Redactor } from '../config-sources/redactor.js';
import { endedSince } from '../ended-since.js';
import type { Executor, NodeRunRequest, NodeRunResult, RunContext } from '../executor.js';
import { EgressPolicy } from './egress-policy.js';
import { RequestRefused, send, type HttpExchange } from './http-request.js';

/** Bodies kept as the node's result are cut here, as the local executor cuts stdout. */
const MAX_RESULT_BYTES = 256 * 1024;
/** Response bodies are read up to this; a longer one fails the node. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 30;

export interface HttpExecutorOptions {
  /** Addresses requests may not reach; link-local and cloud metadata by default. */
  egress?: EgressPolicy;
  maxResponseBytes?: number;
  /** Where headers' `valueFrom.secretKeyRef` are read; without it, such a node fails saying so. */
  sources?: ConfigSources;
}

export class HttpExecutor implements Executor {
  readonly name = 'http';
  private readonly egress: EgressPolicy;
  private readonly maxResponseBytes: number;
  private readonly sources: ConfigSources;

  constructor(options: HttpExecutorOptions = {}) {
    this.egress = options.egress ?? new EgressPolicy();
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.sources = options.sources ?? NO_CONFIG_SOURCES;
  }

  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    return Redactor.around((redactor) => this.request(request, context, redactor));
  }

  private async request(request: NodeRunRequest, context: RunContext, redactor: Redactor): Promise<NodeRunResult> {
    const spec = request.http;
    const ended = endedSince();
    if (!spec) return ended('Error', 'node has no http request');
    const method = (spec.method ?? 'GET').toUpperCase();
    let headers: Record<string, string>;
    try {
      headers = await this.headers(spec.headers ?? [], request.workflow.namespace, redactor);
    } catch (error) {
      return ended('Error', (error as Error).message);
    }
    const timeout = AbortSignal.timeout(timeoutSeconds(spec) * 1000);
    let response: HttpExchange;
    try {
      response = await send(spec.url, {
        method,
        headers,
        ...(spec.body !== undefined && method !== 'GET' && method !== 'HEAD' && { body: spec.body }),
        signal: AbortSignal.any([timeout, context.signal]),
        policy: this.egress,
        maxBodyBytes: this.maxResponseBytes,
        insecureSkipVerify: spec.insecureSkipVerify,
      });
    } catch (error) {
      if (context.signal.aborted) return ended('Failed', typeof context.signal.reason === 'string' ? context.signal.reason : 'terminated');
      return ended('Error', `http request to ${spec.url} ${error instanceof RequestRefused ? 'refused' : 'failed'}: ${(error as Error).message}`);
    }
    const { body, status } = response;
    const result = body.length > MAX_RESULT_BYTES ? body.slice(0, MAX_RESULT_BYTES) : body;
    context.onLog('stdout', `${method} ${spec.url} ${status}`);
    if (spec.successCondition === undefined) {
      return status < 400 ? ended('Succeeded', undefined, result) : ended('Failed', `received non-2xx response code: ${status}`, result);
    }
    const scope = variables(spec, method, headers, response);
    try {
      const holds = evaluateExpression(spec.successCondition, (path) => scope[path]);
      return holds === true ? ended('Succeeded', undefined, result) : ended('Failed', `successCondition "${spec.successCondition}" evaluated false`, result);
    } catch (error) {
      return ended('Error', (error as Error).message, result);
    }
  }

  /** Written values, and those of Secrets; a missing optional key leaves its header out. */
  private async headers(specs: HttpHeader[], namespace: string, redactor: Redactor): Promise<Record<string, string>> {
    const headers: Record<string, string> = {};
    for (const { name, value, valueFrom } of specs) {
      const ref = valueFrom?.secretKeyRef;
      if (!ref) {
        if (value !== undefined) headers[name] = value;
        continue;
      }
      let read: Buffer | undefined;
      try {
        read = await readKey(this.sources, 'Secret', namespace, ref);
      } catch (error) {
        throw new Error(`header "${name}": ${(error as Error).message}`);
      }
      if (read === undefined) continue;
      const text = read.toString('utf8');
      redactor.add(text);
      headers[name] = text;
    }
    return headers;
  }
}

/** Argo's 0 is Go's "no timeout": the longest allowed here (checked at submission). */
function timeoutSeconds(spec: HttpRequestSpec): number {
  if (spec.timeoutSeconds === undefined) return DEFAULT_TIMEOUT_SECONDS;
  return spec.timeoutSeconds === 0 ? MAX_HTTP_TIMEOUT_SECONDS : spec.timeoutSeconds;
}

/** The names a successCondition sees; headers as Go's map[string][]string. */
function variables(spec: HttpRequestSpec, method: string, headers: Record<string, string>, response: HttpExchange): Record<string, unknown> {
  return {
    'request.url': spec.url,
    'request.method': method,
    'request.body': spec.body ?? '',
    'request.headers': Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    'response.statusCode': response.status,
    'response.body': response.body,
    'response.headers': response.headers,
  };
}

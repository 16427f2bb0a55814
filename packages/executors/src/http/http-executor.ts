// Argo's HTTP templates: the node is one HTTP request, made by the worker (Argo's agent). The response
// body is the node's `result`; `successCondition` (an expression over `request.*` and `response.*`)
// decides its phase, else any status below 400 succeeds.
import { evaluateExpression } from '@regatta/expr';
import type { HttpRequestSpec } from '@regatta/spec';
import { endedSince } from '../ended-since.js';
import type { Executor, NodeRunRequest, NodeRunResult, RunContext } from '../executor.js';

/** Bodies kept as the node's result are cut here, as the local executor cuts stdout. */
const MAX_RESULT_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_SECONDS = 30;

export class HttpExecutor implements Executor {
  readonly name = 'http';

  async run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    const spec = request.http;
    const ended = endedSince();
    if (!spec) return ended('Error', 'node has no http request');
    const method = (spec.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries((spec.headers ?? []).filter((h) => h.value !== undefined).map((h) => [h.name, h.value!]));
    const timeout = AbortSignal.timeout((spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
    let response: Response;
    let body: string;
    try {
      response = await fetch(spec.url, {
        method,
        headers,
        ...(spec.body !== undefined && method !== 'GET' && method !== 'HEAD' && { body: spec.body }),
        signal: AbortSignal.any([timeout, context.signal]),
      });
      body = await response.text();
    } catch (error) {
      if (context.signal.aborted) return ended('Failed', typeof context.signal.reason === 'string' ? context.signal.reason : 'terminated');
      return ended('Error', `http request to ${spec.url} failed: ${(error as Error).message}`);
    }
    const result = body.length > MAX_RESULT_BYTES ? body.slice(0, MAX_RESULT_BYTES) : body;
    context.onLog('stdout', `${method} ${spec.url} ${response.status}`);
    if (spec.successCondition === undefined) {
      return response.status < 400 ? ended('Succeeded', undefined, result) : ended('Failed', `received non-2xx response code: ${response.status}`, result);
    }
    const scope = variables(spec, method, headers, response, body);
    try {
      const holds = evaluateExpression(spec.successCondition, (path) => scope[path]);
      return holds === true ? ended('Succeeded', undefined, result) : ended('Failed', `successCondition "${spec.successCondition}" evaluated false`, result);
    } catch (error) {
      return ended('Error', (error as Error).message, result);
    }
  }
}

/** The names a successCondition sees; headers as Go's map[string][]string. */
function variables(spec: HttpRequestSpec, method: string, headers: Record<string, string>, response: Response, body: string): Record<string, unknown> {
  const responseHeaders: Record<string, string[]> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = [value]));
  return {
    'request.url': spec.url,
    'request.method': method,
    'request.body': spec.body ?? '',
    'request.headers': Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    'response.statusCode': response.status,
    'response.body': body,
    'response.headers': responseHeaders,
  };
}

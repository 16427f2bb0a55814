// Streaming answers as Argo Server gives them: Server-Sent Events (`data: {"result": …}\n\n`) when
// the client asks for `text/event-stream`, else grpc-gateway's newline-delimited JSON
// (`{"result": …}\n`). A stream ends when the client goes, when the server shuts down, or when the
// route ends it. Open one only after authorize and decoding: errors before it answer in Argo's shape.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerMetrics } from './metrics.js';

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** Sends `{"result": <json>}`; `resultJson` is already serialized (so one serialization serves many streams). */
  sendJson(resultJson: string): void;
  send(result: unknown): void;
  readonly closed: boolean;
  /** Aborted when the stream ends, whoever ends it. */
  readonly signal: AbortSignal;
  end(): void;
}

export function openEventStream(request: FastifyRequest, reply: FastifyReply, closing: AbortSignal, metrics: ServerMetrics): EventStream {
  const sse = (request.headers.accept ?? '').includes('text/event-stream');
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': sse ? 'text/event-stream' : 'application/json',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.flushHeaders();
  const ended = new AbortController();
  metrics.streams.inc();
  const heartbeat = sse ? setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS) : undefined;
  const end = () => {
    if (ended.signal.aborted) return;
    ended.abort();
    clearInterval(heartbeat);
    closing.removeEventListener('abort', end);
    metrics.streams.dec();
    metrics.requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: '200' });
    raw.end();
  };
  // The response's close, not the request's (which comes once its body was read): the client has gone.
  raw.on('close', end);
  raw.on('error', end);
  closing.addEventListener('abort', end);
  if (closing.aborted) end();
  const stream: EventStream = {
    sendJson(resultJson) {
      if (ended.signal.aborted) return;
      raw.write(sse ? `data: {"result":${resultJson}}\n\n` : `{"result":${resultJson}}\n`);
    },
    send(result) {
      stream.sendJson(JSON.stringify(result));
    },
    get closed() {
      return ended.signal.aborted;
    },
    signal: ended.signal,
    end,
  };
  return stream;
}

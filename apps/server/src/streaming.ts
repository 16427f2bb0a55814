// What the streaming routes (watches, followed logs) share: the watch hub, the signal that the
// server is shutting down, and the way to open a stream.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerMetrics } from './metrics.js';
import { openEventStream, type EventStream } from './sse.js';
import type { WatchHub } from './watch-hub.js';

export interface Streaming {
  hub: WatchHub;
  closing: AbortSignal;
  open(request: FastifyRequest, reply: FastifyReply): EventStream;
}

export function streaming(hub: WatchHub, closing: AbortSignal, metrics: ServerMetrics): Streaming {
  return { hub, closing, open: (request, reply) => openEventStream(request, reply, closing, metrics) };
}

// The one place errors become answers: thrown HttpErrors, the client's and the spec's errors, fastify's
// own (validation, a body too large, bad JSON) all answer in Argo's `{code, message}` shape. Anything
// else is a 500 whose details go to the log, not to the caller.
import type { FastifyError, FastifyInstance } from 'fastify';
import { ClientError } from '@regatta/client';
import { SpecError } from '@regatta/spec';
import { StoreError } from '@regatta/store';
import { GrpcCode, HttpError, alreadyExists, badRequest, failedPrecondition, notFound } from './http-error.js';

/** What an error thrown by a route or by fastify answers with; undefined for an unexpected one. */
export function httpErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof ClientError) {
    if (error.code === 'NotFound') return notFound(error.message);
    if (error.code === 'FailedPrecondition') return failedPrecondition(error.message);
    // Any other code the client may give (a bad argument) is the caller's to fix.
    return badRequest(error.message);
  }
  if (error instanceof SpecError) return badRequest(error.message);
  if (error instanceof StoreError && error.code === 'EXISTS') return alreadyExists(error.message);
  const fastifyError = error as Partial<FastifyError>;
  // fastify's message already names the place: "body/workflow must be object".
  if (fastifyError.validation) return badRequest(fastifyError.message ?? 'invalid request');
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HttpError(413, GrpcCode.ResourceExhausted, 'request body is larger than the server accepts');
  const status = fastifyError.statusCode;
  // fastify's own client errors (bad JSON, unsupported media type, ...) carry their status.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, status === 404 ? GrpcCode.NotFound : GrpcCode.InvalidArgument, fastifyError.message ?? 'bad request');
  }
  return undefined;
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = httpErrorOf(error);
    if (!answer) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ code: GrpcCode.Internal, message: 'internal error' });
    }
    return reply.status(answer.statusCode).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: GrpcCode.NotFound, message: `no such path: ${request.method} ${request.url.split('?')[0]}` }),
  );
}

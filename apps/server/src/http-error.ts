// Errors a route throws to answer with a status: Argo Server answers in grpc-gateway's JSON shape
// `{"code": <grpc code>, "message": "..."}`, the HTTP status following from the grpc code.

/** The grpc status codes Argo Server's answers carry (google.golang.org/grpc/codes). */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

export type GrpcCodeName = keyof typeof GrpcCode;

/** Argo's error body. */
export interface ArgoErrorBody {
  code: number;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  get body(): ArgoErrorBody {
    return { code: this.grpcCode, message: this.message };
  }
}

/** 400: the request is malformed; the message names the place. */
export const badRequest = (message: string) => new HttpError(400, GrpcCode.InvalidArgument, message);
/** 401: no token, or one that is not (or no longer) valid. */
export const unauthenticated = (message = 'token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/') =>
  new HttpError(401, GrpcCode.Unauthenticated, message);
/** 403: the token's role or namespace does not allow it. */
export const permissionDenied = (message: string) => new HttpError(403, GrpcCode.PermissionDenied, message);
/** 404: nothing of that name. */
export const notFound = (message: string) => new HttpError(404, GrpcCode.NotFound, message);
/** 409: the name is taken. */
export const alreadyExists = (message: string) => new HttpError(409, GrpcCode.AlreadyExists, message);
/** 409: the request does not apply to the resource as it is now (e.g. resuming a running workflow). */
export const failedPrecondition = (message: string) => new HttpError(409, GrpcCode.FailedPrecondition, message);
/** 503: a dependency (Redis, PostgreSQL) does not answer. */
export const unavailable = (message: string) => new HttpError(503, GrpcCode.Unavailable, message);

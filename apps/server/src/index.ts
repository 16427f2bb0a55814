// The Regatta server: Argo Server's REST API over Regatta's Redis.
export { buildServer, DEFAULT_MAX_BODY_BYTES, type ServerOptions } from './app.js';
export { openServerResources, type ResourceOptions, type ServerResources } from './resources.js';
export { TokenStore, type TokenRecord } from './auth/token-store.js';
export { ROLES, isRole, type Role, type Verb } from './auth/roles.js';
export type { AuthMode } from './auth/authorize.js';
export { HttpError, GrpcCode } from './http-error.js';
export { isLoopback, startRefusal, startServer, type RunningServer, type StartOptions } from './start.js';

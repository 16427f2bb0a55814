export { hostFolder, listenAddress, milliseconds, port, positiveInteger, readEnv, readServiceConfig, settingsOrExit, type ServiceConfig } from './env.js';
export { checkRedis } from './redis-check.js';
export { isAuthFailure, redisErrorCause, refusedCredentials } from './redis-errors.js';
export { awaitRedis, runUntilSignal, serveMetricsBeside, type Service } from './lifecycle.js';

export { hostFolder, listenAddress, milliseconds, port, positiveInteger, readEnv, readServiceConfig, settingsOrExit, type ServiceConfig } from './env.js';
export { checkRedis, isAuthFailure, redisErrorCause, refusedCredentials } from './redis-check.js';
export { awaitRedis, runUntilSignal, serveMetricsBeside, type Service } from './lifecycle.js';

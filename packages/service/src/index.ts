export { hostFolder, listenAddress, milliseconds, port, positiveInteger, readEnv, readServiceConfig, type ServiceConfig } from './env.js';
export { checkRedis, isAuthFailure, redisErrorCause, refusedCredentials } from './redis-check.js';
export { awaitRedis, runUntilSignal, serveMetricsBeside, settingsOrExit, type Service } from './lifecycle.js';

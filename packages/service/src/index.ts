export { DEFAULT_SHUTDOWN_GRACE_MS, hostFolder, listenAddress, milliseconds, port, positiveInteger, readEnv, readServiceConfig, type ServiceConfig } from './env.js';
export { checkRedis, isAuthFailure, redisErrorCause, refusedCredentials, RedisUnusableError } from './redis-check.js';
export { awaitRedis, runUntilSignal, serveMetricsBeside, settingsOrExit, type Service } from './lifecycle.js';

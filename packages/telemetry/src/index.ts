export { createLogger, redactUrl, type Logger, type LoggerOptions } from './logger.js';
export { SchedulerMetrics, WorkerMetrics, serveMetrics, type MetricsSource } from './metrics.js';
export { CustomMetrics } from './custom-metrics.js';

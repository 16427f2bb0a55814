export { createLogger, redactUrl, type Logger, type LoggerOptions } from './logger.js';
export { SchedulerMetrics, WorkerMetrics, serveMetrics, type MetricsSource, type SchedulerMetricsOptions } from './metrics.js';
export { CustomMetrics, DEFAULT_CUSTOM_METRICS_TTL_MS } from './custom-metrics.js';

export { Worker, type WorkerResources, type WorkerSettings } from './worker.js';
export { executorName, readWorkerConfig, type ExecutorName, type WorkerConfig } from './config.js';
export { createExecutor, startWorkerService } from './service.js';

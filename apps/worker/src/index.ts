export { Worker, type WorkerResources, type WorkerSettings } from './worker.js';
export { executorName, readWorkerConfig, type WorkerConfig } from './config.js';
export { startWorkerService, type WorkerServiceOptions } from './service.js';
export { createKubernetesExecutor } from './kubernetes-executor.js';
export { readKubernetesSettings, type KubernetesSettings } from './kubernetes-settings.js';

// The Kubernetes executor that a worker's settings make (kubernetes-settings.ts reads them).
import { KubernetesExecutor } from '@regatta/executors';
import type { Logger } from '@regatta/telemetry';
import type { KubernetesSettings } from './kubernetes-settings.js';

export function createKubernetesExecutor(settings: KubernetesSettings, logger: Logger): KubernetesExecutor {
  const { executorImage, ...rest } = settings;
  if (!executorImage) throw new Error('the kubernetes executor needs REGATTA_EXECUTOR_IMAGE (or --executor-image): the image with regatta-launcher');
  return new KubernetesExecutor({ ...rest, executorImage, warn: (message) => logger.warn(message) });
}

// The worker's one connection to Kubernetes: its configuration (a kubeconfig file, else in-cluster,
// else the usual default), and every call made through the shared rate limiter and with retries.
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { withRetries, type RetryOptions } from './api-retry.js';
import { RateLimiter } from './rate-limiter.js';

export interface KubeClientOptions {
  /** A kubeconfig file; without it, the pod's service account in a cluster, else $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Argo's controller defaults: 20 and 30. */
  qps?: number;
  burst?: number;
  retry?: RetryOptions;
}

/** The options of a JSON merge patch request (client-node sends a JSON patch by default). */
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function loadKubeConfig(kubeconfig?: string): KubeConfig {
  const config = new KubeConfig();
  if (kubeconfig) {
    try {
      config.loadFromFile(kubeconfig);
    } catch (error) {
      throw new Error(`kubeconfig ${kubeconfig}: ${(error as Error).message}`);
    }
  }
  else if (process.env.KUBERNETES_SERVICE_HOST) config.loadFromCluster();
  else config.loadFromDefault();
  if (!config.getCurrentCluster()) throw new Error(`kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''}: no current cluster`);
  return config;
}

export class KubeClient {
  readonly config: KubeConfig;
  readonly core: CoreV1Api;
  private readonly limiter: RateLimiter;
  private readonly retry: RetryOptions;

  constructor(options: KubeClientOptions = {}, config = loadKubeConfig(options.kubeconfig)) {
    this.config = config;
    this.core = config.makeApiClient(CoreV1Api);
    this.limiter = new RateLimiter(options.qps ?? 20, options.burst ?? 30);
    this.retry = options.retry ?? {};
  }

  /** One API request, rate limited, retried on 429/5xx and broken connections. */
  call<T>(request: (core: CoreV1Api) => Promise<T>): Promise<T> {
    return withRetries(async () => {
      await this.limiter.take();
      return request(this.core);
    }, this.retry);
  }

  /** A turn for a request made outside `call` (a watch, a log stream), which retries on its own. */
  throttle(): Promise<void> {
    return this.limiter.take();
  }
}

// `--executor kubernetes`: the run's pods go to a real control plane with a local kubelet, started by
// scripts/kube/local-cluster.ts (TypeScript from the test support, run with vite-node) in a process of its
// own; its one JSON line says how the worker reaches it. Stopped with SIGTERM at the end of the run.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { ExampleSecret } from './artifact-environment.js';

/** The line scripts/kube/local-cluster.ts prints once ready. */
interface LocalCluster {
  kubeconfig: string;
  namespace: string;
  executorImage: string;
  imageCommands: Record<string, unknown>;
}

/** A control plane's start, the kubelet's registration and the namespace's service account. */
const START_TIMEOUT_MS = 180_000;

export class KubeCluster {
  private constructor(
    private readonly child: ChildProcess,
    readonly cluster: LocalCluster,
  ) {}

  static async start(repoRoot: string, corpus: string, log: WriteStream): Promise<KubeCluster> {
    const child = spawn(`${repoRoot}node_modules/.bin/vite-node`, [`${repoRoot}scripts/kube/local-cluster.ts`], {
      cwd: repoRoot,
      env: { ...process.env, ARGO_EXAMPLES: corpus },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stderr!.pipe(log, { end: false });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the local cluster was not ready within ${START_TIMEOUT_MS / 1000} s; see ${log.path}`)), START_TIMEOUT_MS);
      createInterface({ input: child.stdout! }).once('line', (first) => {
        clearTimeout(timer);
        resolve(first);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the local cluster exited at start (${code}); see ${log.path}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGTERM');
      throw error;
    });
    return new KubeCluster(child, JSON.parse(line) as LocalCluster);
  }

  /** `regatta worker`'s flags for this cluster. */
  workerArgs(): string[] {
    const { kubeconfig, namespace, executorImage } = this.cluster;
    return ['--executor', 'kubernetes', '--kubeconfig', kubeconfig, '--namespace', namespace, '--executor-image', executorImage];
  }

  /** The worker's environment: the images' entrypoints, as the local executor knows them. */
  workerEnv(): NodeJS.ProcessEnv {
    return { REGATTA_IMAGE_COMMANDS: JSON.stringify(this.cluster.imageCommands) };
  }

  /** Makes `secrets` in the pods' namespace, where their secret volumes find them (docs/kubernetes-pods.md, Credentials). */
  async createSecrets(secrets: ExampleSecret[]): Promise<void> {
    const config = new KubeConfig();
    config.loadFromFile(this.cluster.kubeconfig);
    const core = config.makeApiClient(CoreV1Api);
    const { namespace } = this.cluster;
    for (const { name, data } of secrets) {
      await core.createNamespacedSecret({ namespace, body: { metadata: { name }, stringData: data } }).catch((error: unknown) => {
        // The API's error carries the request; its status code says enough, and no value is repeated.
        const code = (error as { code?: number }).code;
        throw new Error(`creating Secret ${namespace}/${name} in the local cluster failed${code === undefined ? '' : ` (HTTP ${code})`}`);
      });
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }

  /** For an exit that cannot wait. */
  signalStop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}

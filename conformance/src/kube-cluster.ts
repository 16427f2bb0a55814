// `--executor kubernetes`: the run's pods go to a real control plane with a local kubelet, started by
// scripts/kube/local-cluster.ts (TypeScript from the test support, run with vite-node) in a process of its
// own; its one JSON line says how the worker reaches it. Stopped with SIGTERM at the end of the run.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The line scripts/kube/local-cluster.ts prints once ready. */
interface LocalCluster {
  kubeconfig: string;
  namespace: string;
  executorImage: string;
  imageCommands: Record<string, unknown>;
  artifactsDir: string;
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

  /** The worker's environment: the images' entrypoints, as the local executor knows them; the artifact store it shares with its pods (the one node's hostPath). */
  workerEnv(): NodeJS.ProcessEnv {
    const { imageCommands, artifactsDir } = this.cluster;
    return { REGATTA_IMAGE_COMMANDS: JSON.stringify(imageCommands), REGATTA_ARTIFACTS_DIR: artifactsDir, REGATTA_KUBE_ARTIFACTS_HOST_PATH: artifactsDir };
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

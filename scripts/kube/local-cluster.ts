// A Kubernetes for `regatta worker --executor kubernetes` on a machine without a cluster: the real control
// plane (test/support/kube-control-plane.ts) and one local kubelet that runs Regatta's launcher from this
// checkout's build, with a namespace whose default service account may write the wait container's report
// (deploy/kubernetes/wait-role.yaml). Run with `vite-node scripts/kube/local-cluster.ts`; it prints one JSON
// line (LocalCluster) once ready and stops everything on SIGTERM, SIGINT or the end of its stdin.
// `conformance --executor kubernetes` runs the Argo examples through it (conformance/src/kube-cluster.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api, type V1Role, type V1RoleBinding } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { imageDefaults, type ImageCommand } from '@regatta/executors';
import { startControlPlane } from '../../test/support/kube-control-plane.js';
import { startLocalKubelet } from '../../test/support/local-kubelet.js';
import { until } from '../../test/support/until.js';

/** What the worker needs: its flags and REGATTA_IMAGE_COMMANDS. */
export interface LocalCluster {
  kubeconfig: string;
  namespace: string;
  executorImage: string;
  imageCommands: Record<string, ImageCommand>;
}

const NODE = 'regatta-local-node';
const NAMESPACE = process.env.REGATTA_KUBE_NAMESPACE ?? 'regatta-pods';
const EXECUTOR_IMAGE = 'regatta/regatta:local';
const WAIT_ROLE = fileURLToPath(new URL('../../deploy/kubernetes/wait-role.yaml', import.meta.url));

/**
 * The local executor's ENTRYPOINT and CMD of every image named in the YAML files under `folder` (the
 * examples): the pure pod builder cannot ask a registry, so the worker is told (Argo's `images` setting).
 */
function imageCommandsOf(folder: string | undefined): Record<string, ImageCommand> {
  const commands: Record<string, ImageCommand> = {};
  if (!folder) return commands;
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) return readdirSync(path).forEach((entry) => visit(join(path, entry)));
    if (!/\.ya?ml$/.test(path)) return;
    for (const [, image] of readFileSync(path, 'utf8').matchAll(/\bimage:\s*["']?([^\s"'#]+)/g)) {
      const defaults = imageDefaults(image!);
      if (defaults?.entrypoint || defaults?.cmd) commands[image!] = { entrypoint: defaults.entrypoint ?? [], ...(defaults.cmd && { cmd: defaults.cmd }) };
    }
  };
  visit(folder);
  return commands;
}

async function main(): Promise<void> {
  const plane = await startControlPlane({ nodes: [NODE] });
  const kubelet = await startLocalKubelet({ plane, nodeName: NODE, regattaImage: EXECUTOR_IMAGE });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await kubelet.stop();
      await plane.stop();
      process.exit(0);
    })());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdin.on('end', stop).resume();

  const config = new KubeConfig();
  config.loadFromFile(plane.kubeconfigPath);
  const core = config.makeApiClient(CoreV1Api);
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  for (const document of parseAllDocuments(readFileSync(WAIT_ROLE, 'utf8'))) {
    const object = document.toJS() as V1Role | V1RoleBinding;
    if (object.kind === 'Role') await rbac.createNamespacedRole({ namespace: NAMESPACE, body: object as V1Role });
    else await rbac.createNamespacedRoleBinding({ namespace: NAMESPACE, body: object as V1RoleBinding });
  }
  // Pod admission refuses pods until the namespace's default service account has its token.
  await until('the default service account', async () => ((await core.readNamespacedServiceAccount({ name: 'default', namespace: NAMESPACE }).catch(() => undefined))?.secrets?.length ?? 0) > 0, 60_000);
  const ready: LocalCluster = { kubeconfig: plane.kubeconfigPath, namespace: NAMESPACE, executorImage: EXECUTOR_IMAGE, imageCommands: imageCommandsOf(process.env.ARGO_EXAMPLES) };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`local cluster: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

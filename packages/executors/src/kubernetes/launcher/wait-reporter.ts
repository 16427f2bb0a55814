// `regatta-launcher wait`, the pod's `wait` container: waits until every main container's launcher has
// written its exit code, asks the sidecars to stop, collects the outputs and writes them on its own pod
// (the `workflows.argoproj.io/outputs` annotation) with one merge patch: the pod's service account needs
// only `patch` on pods (deploy/kubernetes/wait-role.yaml). A SIGTERM (the pod deleted) is passed on to
// the main containers, and the wait goes on until they end or the kubelet kills it. Output artifacts are
// saved (save-outputs.ts) before the report, which names where each went.
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import type { Artifact } from '@regatta/spec';
import { withRetries } from '../api-retry.js';
import { loadKubeConfig, MERGE_PATCH } from '../kube-client.js';
import { ANNOTATION_OUTPUTS, encodeOutputs, type PodOutputs } from '../pod-outputs.js';
import { collectOutputs, type OutputsSpec } from './collect-outputs.js';
import { artifactStore } from './artifact-store.js';
import { fileSecretSource } from './file-secrets.js';
import { saveLog, saveOutputArtifacts, type ArtifactSaver } from './save-outputs.js';

const POLL_MS = 250;

export interface WaitEnvironment {
  runDir: string;
  containers: string[];
  outputs: OutputsSpec;
  /** Where the output container's log goes (archiveLogs), if anywhere. */
  logsArtifact?: Artifact;
  pod: { namespace: string; name: string };
}

export function waitEnvironment(runDir: string, env: NodeJS.ProcessEnv = process.env): WaitEnvironment {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`regatta wait: environment variable ${name} is not set`);
    return value;
  };
  return {
    runDir,
    containers: JSON.parse(required('REGATTA_CONTAINERS')) as string[],
    outputs: JSON.parse(env.REGATTA_OUTPUTS ?? '{}') as OutputsSpec,
    ...(env.REGATTA_LOGS_ARTIFACT && { logsArtifact: JSON.parse(env.REGATTA_LOGS_ARTIFACT) as Artifact }),
    pod: { namespace: required('REGATTA_NAMESPACE'), name: required('REGATTA_POD_NAME') },
  };
}

/**
 * Waits for the main containers, then collects what the node reports, its output artifacts saved through
 * `saver` (by default the pod's store as its environment gives it, credentials from its secret volumes),
 * and the output container's log where it is archived; the sidecars are asked to stop.
 */
export async function awaitOutputs({ runDir, containers, outputs, logsArtifact, pod }: WaitEnvironment, saver: ArtifactSaver = artifactStore(process.env, fileSecretSource())): Promise<PodOutputs> {
  const onTerm = () => void signalAll(runDir, containers, 'SIGTERM');
  process.on('SIGTERM', onTerm);
  try {
    for (const container of containers) {
      while (!(await exists(join(runDir, 'ctr', container, 'exitcode')))) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    process.off('SIGTERM', onTerm);
  }
  const sidecars = (await readdir(join(runDir, 'ctr')).catch(() => [] as string[])).filter((name) => !containers.includes(name));
  await signalAll(runDir, sidecars, 'SIGTERM');
  const outputContainer = containers.includes('main') ? 'main' : containers.at(-1)!;
  const collected = await collectOutputs(runDir, outputContainer, outputs);
  for (const saved of [
    await saveOutputArtifacts(runDir, outputs.artifacts ?? [], saver, pod.namespace),
    ...(logsArtifact ? [await saveLog(runDir, outputContainer, logsArtifact, saver, pod.namespace)] : []),
  ]) {
    if (saved.artifacts.length > 0) collected.artifacts = [...(collected.artifacts ?? []), ...saved.artifacts];
    // As the parameters': a missing artifact fails only a node whose output container succeeded.
    if (saved.error && !collected.error && collected.exitCode === '0') collected.error = saved.error;
  }
  const omitted = await omittedMembers(runDir, containers);
  return omitted.length > 0 ? { ...collected, omitted } : collected;
}

/** The members whose launcher wrote `omitted <dependency>`: their container exited 0 without running. */
async function omittedMembers(runDir: string, containers: string[]): Promise<{ name: string; dependency: string }[]> {
  const omitted: { name: string; dependency: string }[] = [];
  for (const name of containers) {
    const [word, dependency] = (await readFile(join(runDir, 'ctr', name, 'exitcode'), 'utf8')).trim().split(' ');
    if (word === 'omitted' && dependency) omitted.push({ name, dependency });
  }
  return omitted;
}

/** Writes `outputs` on the pod; the in-cluster service account's token is the credential. */
export async function reportOutputs(pod: WaitEnvironment['pod'], outputs: PodOutputs, api = loadKubeConfig().makeApiClient(CoreV1Api)): Promise<void> {
  const body = { metadata: { annotations: { [ANNOTATION_OUTPUTS]: encodeOutputs(outputs) } } };
  await withRetries(() => api.patchNamespacedPod({ name: pod.name, namespace: pod.namespace, body }, MERGE_PATCH));
}

async function signalAll(runDir: string, containers: string[], signal: NodeJS.Signals): Promise<void> {
  await Promise.all(containers.map((name) => writeFile(join(runDir, 'ctr', name, 'signal'), signal).catch(() => undefined)));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

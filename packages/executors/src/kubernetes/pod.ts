// A node's pod, built by a pure function from its job: the same job always gives the same pod (named
// by Argo's v2 rule), so a create retried after a crash finds the pod it made (409) and adopts it.
// Shaped as Argo's createWorkflowPod: the `wait` container first, the main containers, the sidecars;
// `regatta-init` before the template's init containers; the pod spec patches applied last, and then
// every user container put under Regatta's launcher (docs/kubernetes-pods.md).
import type { V1Container, V1EnvVar, V1OwnerReference, V1Pod, V1PodSpec, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { isRecord, type Container, type NodeJob, type NodePodSettings } from '@regatta/spec';
import { parse } from 'yaml';
import { secretSelectorsOf, secretVolumes } from './artifact-secrets.js';
import { artifactStoreVolumes, INIT_CONTAINER, initArtifacts, initContainer, INPUTS_VOLUME, launched, outputsEnv, placedInputs, RUN_VOLUME, WAIT_CONTAINER, waitArtifacts, waitContainer, withRunMount, type EmissaryOptions } from './emissary.js';
import { ANNOTATION_DEFAULT_CONTAINER, ANNOTATION_NODE_ID, ANNOTATION_NODE_NAME, LABEL_COMPLETED, LABEL_WORKFLOW } from './labels.js';
import { PodBuildError } from './pod-build-error.js';
import { podVolume } from './pod-volumes.js';
import { avoidingHosts, DEFAULT_HOST_LABEL } from './retry-affinity.js';
import { POD_SPEC_SCHEMA, strategicMerge } from './strategic-merge.js';

const MAIN = 'main';

export interface PodOptions extends EmissaryOptions {
  /** The node label that names a host, for retry anti-affinity (Argo's RETRY_HOST_NAME_LABEL_KEY). */
  hostLabel?: string;
  /** The pod's owner (e.g. the Workflow object where the cluster has one), so that pods go with it. */
  ownerReference?: (job: NodeJob) => V1OwnerReference | undefined;
}

/** The pod that runs `job`; a PodBuildError names what in the workflow prevents it. */
export function buildPod(job: NodeJob, options: PodOptions): V1Pod {
  const settings = job.pod;
  if (!settings) throw new PodBuildError(`node "${job.nodeName}": its job carries no pod settings (dispatched by an older scheduler)`);
  if (job.http || job.data) throw new PodBuildError(`node "${job.nodeName}": an ${job.http ? 'HTTP' : 'data'} template runs in the worker, not in a pod`);
  const mains = mainContainers(job);
  if (mains.length === 0) throw new PodBuildError(`node "${job.nodeName}": its containerSet has no containers`);
  const defaultContainer = mains.some((container) => container.name === MAIN) ? MAIN : mains.at(-1)!.name!;
  const sidecars = (job.sidecars ?? []).map((sidecar) => withRunMount(v1(sidecar)));
  const volumes: V1Volume[] = [...(job.volumes ?? []).map((volume) => podVolume(volume, job.workflow)), { name: RUN_VOLUME, emptyDir: {} }];
  if (placedInputs(job).length > 0) volumes.push({ name: INPUTS_VOLUME, emptyDir: {} });
  const init = initContainer(job, options);
  const wait = waitContainer(job, mains.map((container) => container.name!), options);
  volumes.push(...artifactStoreVolumes([init, wait], options), ...secretVolumes(secretSelectorsOf([...initArtifacts(job), ...waitArtifacts(job)])));
  const spec: V1PodSpec = {
    restartPolicy: 'Never',
    initContainers: [init, ...(job.initContainers ?? []).map((container) => withRunMount(v1(container)))],
    containers: [wait, ...mains, ...sidecars],
    volumes,
    ...(job.activeDeadlineSeconds !== undefined && { activeDeadlineSeconds: job.activeDeadlineSeconds }),
    ...podLevel(settings, options.hostLabel ?? DEFAULT_HOST_LABEL),
  };
  const patched = applyPatches(spec, settings.podSpecPatches ?? []);
  refuseNameClashes([...(patched.initContainers ?? []), ...patched.containers]);
  // As Argo: the launcher goes in front of the commands as the patches left them.
  const script = job.script !== undefined && !job.containerSet;
  patched.containers = patched.containers.map((container) =>
    container.name === WAIT_CONTAINER ? container : launched(container, script && container.name === MAIN, options),
  );
  const owner = options.ownerReference?.(job);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: settings.name,
      namespace: job.workflow.namespace,
      labels: { [LABEL_WORKFLOW]: job.workflow.name, [LABEL_COMPLETED]: 'false', ...settings.labels },
      annotations: { [ANNOTATION_NODE_NAME]: job.nodeName, [ANNOTATION_NODE_ID]: job.nodeId, [ANNOTATION_DEFAULT_CONTAINER]: defaultContainer, ...settings.annotations },
      ...(owner && { ownerReferences: [owner] }),
    },
    spec: patched,
  };
}

/** Argo's main containers: `main`, or one per containerSet member under its own name. */
function mainContainers(job: NodeJob): V1Container[] {
  // As Argo mounts input artifacts: each file or folder `regatta-init` placed, at its path, by subPath.
  const inputMounts: V1VolumeMount[] = placedInputs(job).map((artifact) => ({ name: INPUTS_VOLUME, mountPath: artifact.path!, subPath: artifact.name }));
  const set = job.containerSet;
  const members = set
    ? set.containers.map(({ dependencies, ...container }) => ({
        container: container as Container,
        env: [
          ...(dependencies?.length ? [{ name: 'REGATTA_DEPENDENCIES', value: JSON.stringify(dependencies) }] : []),
          ...(set.retries ? [{ name: 'REGATTA_RETRIES', value: String(set.retries) }, { name: 'REGATTA_RETRY_DELAY_MS', value: String(set.retryDelayMs ?? 0) }] : []),
        ],
      }))
    : [{ container: { ...job.container, name: MAIN }, env: job.script ? [{ name: 'REGATTA_SCRIPT', value: job.script.source }] : [] }];
  // The outputs are the main container's: `main`, else the last (as the engine reads the result).
  const outputs = members.find(({ container }) => container.name === MAIN) ?? members.at(-1)!;
  return members.map((member) => {
    const container = v1(member.container);
    const env: V1EnvVar[] = [...(container.env ?? []), { name: 'REGATTA_CONTAINER', value: container.name! }, ...member.env, ...(member === outputs ? [...outputsEnv(job), ...logEnv(job)] : [])];
    return withRunMount({ ...container, env, volumeMounts: [...(container.volumeMounts ?? []), ...inputMounts] });
  });
}

/** Where the main container's log is archived, its launcher keeps a copy of it, stdout and stderr as they came (Argo's main.log). */
function logEnv(job: NodeJob): V1EnvVar[] {
  return job.logsArtifact ? [{ name: 'REGATTA_KEEP_LOG', value: 'true' }] : [];
}

/** The template's fields are Kubernetes' own (resources, securityContext, env valueFrom…), passed as written. */
function v1(container: Container): V1Container {
  return { ...(container as V1Container), name: container.name ?? MAIN };
}

function podLevel(settings: NodePodSettings, hostLabel: string): Partial<V1PodSpec> {
  const affinity = avoidingHosts(settings.affinity, settings.avoidHosts ?? [], hostLabel);
  return {
    ...(settings.serviceAccountName && { serviceAccountName: settings.serviceAccountName }),
    ...(settings.automountServiceAccountToken === false && { automountServiceAccountToken: false }),
    ...(settings.nodeSelector && { nodeSelector: settings.nodeSelector }),
    ...(settings.tolerations && { tolerations: settings.tolerations }),
    ...(affinity && { affinity }),
    ...(settings.securityContext && { securityContext: settings.securityContext }),
    ...(settings.priorityClassName && { priorityClassName: settings.priorityClassName }),
    ...(settings.schedulerName && { schedulerName: settings.schedulerName }),
    ...(settings.hostAliases && { hostAliases: settings.hostAliases }),
    ...(settings.imagePullSecrets && { imagePullSecrets: settings.imagePullSecrets }),
    ...(settings.resources && { resources: settings.resources }),
  } as Partial<V1PodSpec>;
}

/** Kubernetes refuses a pod whose containers share a name; say which, before the API server does. */
function refuseNameClashes(containers: V1Container[]): void {
  const seen = new Set<string>();
  for (const { name } of containers) {
    if (seen.has(name)) throw new PodBuildError(`container name "${name}" is used twice in the pod (${INIT_CONTAINER} and ${WAIT_CONTAINER} are Regatta's own)`);
    seen.add(name);
  }
}

/** Argo's podSpecPatch: each YAML (or JSON) patch, the workflow's then the template's, merged strategically. */
function applyPatches(spec: V1PodSpec, patches: string[]): V1PodSpec {
  let patched: unknown = spec;
  for (const [index, text] of patches.entries()) {
    let patch: unknown;
    try {
      patch = parse(text);
    } catch (error) {
      throw new PodBuildError(`podSpecPatch ${index + 1}: not YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!isRecord(patch)) throw new PodBuildError(`podSpecPatch ${index + 1}: not a mapping of pod spec fields`);
    patched = strategicMerge(patched, patch, POD_SPEC_SCHEMA);
  }
  const result = patched as V1PodSpec;
  if (!Array.isArray(result.containers) || result.containers.some((container) => !isRecord(container) || typeof container.name !== 'string')) {
    throw new PodBuildError('podSpecPatch: the patched pod spec has a container without a name');
  }
  return result;
}

// Pods: a leaf node becomes a job for the workers, with its deadline.
import type { ArtifactRepository, Container, ContainerSetContainer, DataTemplate, HttpRequestSpec, NodeJob, NodeResource, NodeStatus, Template } from '@regatta/spec';
import { podName } from '@regatta/spec';
import { remainingSeconds } from '../core/deadline.js';
import { parseDuration } from '../core/durations.js';
import type { Transition } from '../core/transition.js';
import { outputArtifactsOf } from '../features/artifacts.js';
import { archiveLocationOf, archivesLogs, completeListing, logsArtifactOf, substitutedArchive, type StoreLocation } from '../features/artifact-locations.js';
import { substituteString } from '@regatta/expr';
import { chainLookups, globalLookup } from '../scope/scope.js';
import { lenient } from '../scope/expression-mode.js';
import { containerSetOf, createContainerNodes, mainContainerOf } from './container-set.js';
import { podVolumes } from '../features/volumes.js';
import { podSettings } from './pod-settings.js';

export function dispatchPod(t: Transition, node: NodeStatus, template: Template): void {
  const { metadata } = t.state.workflow;
  const containers = containerSetOf(template);
  // A containerSet's job carries its main container as `container` too, for what reads the image.
  const container = template.script ?? template.container ?? withoutDependencies(containers && mainContainerOf(containers)) ?? {};
  const { source, ...containerFields } = container as typeof container & { source?: string };
  const deadline = deadlineSeconds(t, template);
  const owner = { namespace: t.state.namespace, uid: metadata.uid ?? '' };
  const pod = podName(t.state.name, node.name, template.name);
  const repository = t.state.status.artifactRepositoryRef?.artifactRepository;
  const archive = podArchive(t, template, repository, pod);
  const outputArtifacts = outputArtifactsOf(template, owner, pod, archive);
  if (typeof outputArtifacts === 'string') return t.settle(node, 'Error', outputArtifacts);
  const data = template.data === undefined ? undefined : dataWithSource(template.data as DataTemplate, archive);
  if (typeof data === 'string') return t.settle(node, 'Error', data);
  const logsArtifact = (template.container ?? template.script ?? containers) && archivesLogs(template, t.state.workflow.spec.archiveLogs, repository) ? logsArtifactOf(archive, owner, pod) : undefined;
  const sidecars = Array.isArray(template.sidecars) ? (template.sidecars as SidecarContainer[]).map((sidecar) => mirrorVolumeMounts(sidecar, container)) : undefined;
  const initContainers = template.initContainers?.map((init) => mirrorVolumeMounts(init, container));
  const volumes = podVolumes(t.state.workflow.spec, template, [container, ...(containers ?? []), ...(sidecars ?? []), ...(initContainers ?? [])]);
  if (typeof volumes === 'string') return t.settle(node, 'Error', volumes);
  node.phase = 'Running';
  t.state.touch(node.id);
  if (containers) createContainerNodes(t, node, containers);
  const retries = Number(template.containerSet?.retryStrategy?.retries ?? 0);
  const retryDuration = template.containerSet?.retryStrategy?.duration;
  const retryDelayMs = parseDuration(retryDuration);
  if (retryDuration !== undefined && retryDelayMs === undefined) {
    return t.settle(node, 'Error', `containerSet.retryStrategy.duration: "${retryDuration}" is not a duration`);
  }
  const job: NodeJob = {
    workflow: { name: t.state.name, ...owner },
    nodeId: node.id,
    nodeName: node.name,
    attempt: 0,
    templateName: template.name,
    container: containerFields,
    ...(source !== undefined && { script: { source } }),
    ...(template.outputs?.parameters && { outputParameters: template.outputs.parameters }),
    ...(node.inputs?.artifacts && { inputArtifacts: node.inputs.artifacts }),
    ...(outputArtifacts && { outputArtifacts }),
    ...(logsArtifact && { logsArtifact }),
    ...(deadline !== undefined && { activeDeadlineSeconds: deadline }),
    ...(template.http !== undefined && { http: template.http as HttpRequestSpec }),
    ...(data !== undefined && { data }),
    ...(template.resource !== undefined && { resource: template.resource as NodeResource }),
    ...(template.daemon === true && { daemon: true }),
    ...(containers && {
      containerSet: { containers, ...(retries > 0 && { retries: Math.floor(retries), ...(retryDelayMs && { retryDelayMs }) }) },
    }),
    ...(sidecars && { sidecars }),
    ...(initContainers && { initContainers }),
    ...(volumes.length > 0 && { volumes }),
    pod: podSettings(t, node, template, pod),
  };
  t.commands.push({ type: 'dispatchNode', job });
}

/** Where the pod's outputs go in a store other than the local one: the archive location, its key format substituted with `pod.name` among Argo's globals. */
function podArchive(t: Transition, template: Template, repository: ArtifactRepository | undefined, pod: string): StoreLocation | undefined {
  const archive = archiveLocationOf(template, repository);
  if (!archive) return undefined;
  const lookup = chainLookups((name) => (name === 'pod.name' ? pod : undefined), globalLookup(t.state));
  return substitutedArchive(archive, (text) => substituteString(text, lookup, lenient(t.state)));
}

/**
 * A data template whose source names only part of a store's location takes the rest from the archive
 * location; a string is the error. Without one, the local store lists the key, within the namespace, as it is.
 */
function dataWithSource(data: DataTemplate, archive: StoreLocation | undefined): DataTemplate | string {
  if (!archive) return data;
  const source = completeListing(data.source.artifactPaths, archive);
  if (typeof source === 'string') return `data.source.artifactPaths: ${source}`;
  return source === data.source.artifactPaths ? data : { ...data, source: { ...data.source, artifactPaths: source } };
}

/** Argo's pod deadline: the template's activeDeadlineSeconds or timeout, and at most what the workflow has left. */
function deadlineSeconds(t: Transition, template: Template): number | undefined {
  const limits = [
    template.activeDeadlineSeconds === undefined ? undefined : Number(template.activeDeadlineSeconds),
    template.timeout === undefined ? undefined : (parseDuration(template.timeout) ?? NaN) / 1000,
    remainingSeconds(t.state),
  ].filter((limit): limit is number => limit !== undefined && Number.isFinite(limit));
  return limits.length > 0 ? Math.max(0, Math.ceil(Math.min(...limits))) : undefined;
}

function withoutDependencies(container: ContainerSetContainer | undefined): Container | undefined {
  if (!container) return undefined;
  const { dependencies: _dependencies, ...rest } = container;
  return rest;
}

type SidecarContainer = Container & { mirrorVolumeMounts?: boolean };

/** Argo's `mirrorVolumeMounts`: a sidecar or init container gets the main container's volume mounts too. */
function mirrorVolumeMounts({ mirrorVolumeMounts: mirror, ...sidecar }: SidecarContainer, main: Container): Container {
  return mirror === true ? { ...sidecar, volumeMounts: [...(sidecar.volumeMounts ?? []), ...(main.volumeMounts ?? [])] } : sidecar;
}

// Argo features this engine does not run yet. A workflow that uses one is refused at submission with
// the place and the feature named, rather than run with the feature silently ignored.
import type { Artifact, Template, Volume, Workflow } from '@regatta/spec';

const SPEC_FIELDS = [
  'retryStrategy',
] as const;

const TEMPLATE_FIELDS = [
  'plugin',
  'hooks',
] as const;

/** The volume kinds local mode provides; Kubernetes' others (nfs, projected, …) are refused. */
const VOLUME_KINDS = new Set(['name', 'emptyDir', 'persistentVolumeClaim', 'hostPath', 'configMap', 'secret']);

/** Artifact stores Regatta has no driver for (and cannot test one here); the others are run. */
const ARTIFACT_LOCATIONS = ['hdfs', 'oss', 'plugin'] as const;

export interface UnsupportedFeature {
  path: string;
  feature: string;
}

export function unsupportedFeatures(workflow: Workflow): UnsupportedFeature[] {
  const found: UnsupportedFeature[] = [];
  const spec = workflow.spec as Record<string, unknown>;
  for (const field of SPEC_FIELDS) if (spec[field] !== undefined) found.push({ path: `spec.${field}`, feature: field });
  checkGCStrategy(workflow.spec.artifactGC, 'spec.artifactGC', found);
  checkArtifacts(workflow.spec.arguments?.artifacts, 'spec.arguments.artifacts', found);
  checkVolumes(workflow.spec.volumes, 'spec.volumes', found);
  (workflow.spec.templates ?? []).forEach((template, i) => checkTemplate(template, `spec.templates[${i}]`, found));
  return found;
}

function checkTemplate(template: Template, path: string, found: UnsupportedFeature[]): void {
  for (const field of TEMPLATE_FIELDS) if (template[field] !== undefined) found.push({ path: `${path}.${field}`, feature: field });
  // A resource template's manifest is read from `manifest` only; one from an artifact is not run yet.
  if ((template.resource as { manifestFrom?: unknown } | undefined)?.manifestFrom !== undefined) found.push({ path: `${path}.resource.manifestFrom`, feature: 'resource.manifestFrom' });
  checkArtifacts(template.inputs?.artifacts, `${path}.inputs.artifacts`, found);
  if (template.archiveLocation) checkLocation(template.archiveLocation, `${path}.archiveLocation`, found);
  checkVolumes(template.volumes, `${path}.volumes`, found);
  checkDataSource(template, `${path}.data.source.artifactPaths`, found);
  checkArtifacts(template.outputs?.artifacts, `${path}.outputs.artifacts`, found);
  const calls = [
    ...(template.steps ?? []).flatMap((group, g) => group.map((step, s) => ({ call: step, at: `${path}.steps[${g}][${s}]` }))),
    ...(template.dag?.tasks ?? []).map((task, k) => ({ call: task, at: `${path}.dag.tasks[${k}]` })),
  ];
  for (const { call, at } of calls) {
    checkArtifacts(call.arguments?.artifacts, `${at}.arguments.artifacts`, found);
    if (call.inline) checkTemplate(call.inline, `${at}.inline`, found);
  }
}

/** A data template lists the keys under its source's location, in any store Regatta runs. */
function checkDataSource(template: Template, path: string, found: UnsupportedFeature[]): void {
  const source = (template.data as { source?: { artifactPaths?: Artifact } } | undefined)?.source?.artifactPaths;
  if (source) checkLocation(source, path, found);
}

function checkLocation(location: object, path: string, found: UnsupportedFeature[]): void {
  for (const store of ARTIFACT_LOCATIONS) {
    if ((location as Record<string, unknown>)[store] !== undefined) found.push({ path: `${path}.${store}`, feature: `${store} artifacts (Regatta has no ${store} store)` });
  }
}

function checkVolumes(volumes: Volume[] | undefined, path: string, found: UnsupportedFeature[]): void {
  (volumes ?? []).forEach((volume, i) => {
    for (const kind of Object.keys(volume)) if (!VOLUME_KINDS.has(kind)) found.push({ path: `${path}[${i}].${kind}`, feature: `${kind} volumes` });
  });
}

/** Names the store of an artifact Regatta cannot run, and an artifactGC strategy Argo does not have. */
function checkArtifacts(artifacts: Artifact[] | undefined, path: string, found: UnsupportedFeature[]): void {
  (artifacts ?? []).forEach((artifact, i) => {
    checkLocation(artifact, `${path}[${i}]`, found);
    checkGCStrategy(artifact.artifactGC, `${path}[${i}].artifactGC`, found);
  });
}

/** Argo's artifactGC strategies; any other would silently keep every artifact. */
const GC_STRATEGIES = new Set(['', 'OnWorkflowCompletion', 'OnWorkflowDeletion', 'Never']);

function checkGCStrategy(gc: { strategy?: unknown } | undefined, path: string, found: UnsupportedFeature[]): void {
  const strategy = gc?.strategy;
  if (strategy !== undefined && !GC_STRATEGIES.has(String(strategy))) {
    found.push({ path: `${path}.strategy`, feature: `artifactGC strategy ${JSON.stringify(strategy)} (Argo's are OnWorkflowCompletion, OnWorkflowDeletion and Never)` });
  }
}

// Argo features this engine does not run yet. A workflow that uses one is refused at submission with
// the place and the feature named, rather than run with the feature silently ignored.
import type { Artifact, Template, Volume, Workflow } from '@regatta/spec';

const SPEC_FIELDS = [
  'retryStrategy',
  'artifactRepositoryRef',
  'artifactGC',
] as const;

const TEMPLATE_FIELDS = [
  'plugin',
  'hooks',
] as const;

/** The volume kinds local mode provides; Kubernetes' others (configMap, secret, nfs, …) are refused. */
const VOLUME_KINDS = new Set(['name', 'emptyDir', 'persistentVolumeClaim', 'hostPath']);

/** Artifact locations that need a repository other than Regatta's local one; `raw` and `from` are run. */
const ARTIFACT_LOCATIONS = ['s3', 'gcs', 'git', 'http', 'artifactory', 'hdfs', 'oss', 'azure', 'plugin'] as const;

export interface UnsupportedFeature {
  path: string;
  feature: string;
}

export function unsupportedFeatures(workflow: Workflow): UnsupportedFeature[] {
  const found: UnsupportedFeature[] = [];
  const spec = workflow.spec as Record<string, unknown>;
  for (const field of SPEC_FIELDS) if (spec[field] !== undefined) found.push({ path: `spec.${field}`, feature: field });
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

/** A data template lists a key prefix of the local repository (a location that names only a `key`) or of an S3 bucket. */
function checkDataSource(template: Template, path: string, found: UnsupportedFeature[]): void {
  const source = (template.data as { source?: { artifactPaths?: Artifact } } | undefined)?.source?.artifactPaths;
  if (!source) return;
  for (const location of ARTIFACT_LOCATIONS) {
    if (location === 's3') continue;
    const fields = source[location];
    if (fields !== undefined && Object.keys(fields as object).some((field) => field !== 'key')) {
      found.push({ path: `${path}.${location}`, feature: `${location} data sources (they need an artifact repository Regatta does not have)` });
    }
  }
}

function checkVolumes(volumes: Volume[] | undefined, path: string, found: UnsupportedFeature[]): void {
  (volumes ?? []).forEach((volume, i) => {
    for (const kind of Object.keys(volume)) if (!VOLUME_KINDS.has(kind)) found.push({ path: `${path}[${i}].${kind}`, feature: `${kind} volumes` });
  });
}

/** Names the exact artifact feature refused: a location of another repository, a zip archive, `artifactGC`. */
function checkArtifacts(artifacts: Artifact[] | undefined, path: string, found: UnsupportedFeature[]): void {
  (artifacts ?? []).forEach((artifact, i) => {
    const at = `${path}[${i}]`;
    for (const location of ARTIFACT_LOCATIONS) {
      if (artifact[location] !== undefined) {
        found.push({ path: `${at}.${location}`, feature: `${location} artifacts (they need an artifact repository Regatta does not have)` });
      }
    }
    if (artifact.archive?.zip !== undefined) found.push({ path: `${at}.archive.zip`, feature: 'zip archives of artifacts' });
    if (artifact.artifactGC !== undefined) found.push({ path: `${at}.artifactGC`, feature: 'artifact artifactGC' });
  });
}

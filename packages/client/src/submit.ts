// Submission: validate and refuse before anything is stored, then store the workflow and announce it
// on its shard stream. Used by every way of submitting (a file, a stored resource, a resubmit, a cron's
// tick) and by lint alike. A workflow that refers to stored resources (WorkflowTemplates, ConfigMaps)
// has them resolved, and is checked, just before it is stored; any other is checked as soon as it is
// prepared.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { expressionIssues, unsupportedFeatures } from '@regatta/engine';
import { shardOf } from '@regatta/queue';
import {
  argoTime,
  checkWorkflow,
  formatPath,
  parseWorkflow,
  parseWorkflows,
  SpecError,
  type ArtifactRepository,
  type LoadOptions,
  type ParsedWorkflow,
  type SpecIssue,
  type Workflow,
} from '@regatta/spec';
import { ensureInstance, Keys, ResourceStore, StoreError, WorkflowStore } from '@regatta/store';
import { refersToStoredResources, resolveReferences, type ResourceReader } from './references.js';
import { ArtifactRepositoryError } from './artifact-repository.js';
import { installationRepository } from './installation-repository.js';
import { resolveArtifactRepository } from './repository-resolution.js';

/** The installation's artifact repository, asked for only when a workflow falls back to it. */
export type InstallationRepository = () => ArtifactRepository | undefined;

export interface SubmitOptions extends LoadOptions {
  namespace?: string;
  generateName?: string;
  /** Added to the workflow's own labels (Argo's `submit -l`). */
  labels?: Record<string, string>;
  shards: number;
  /** The uid to give it, when the caller decided it beforehand (a cron tick's child, recorded with the tick). */
  uid?: string;
}

/** Kubernetes' generateName alphabet: no vowels, no look-alike digits. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * Prepared workflows whose references wait for the stored resources, with the source that places
 * the issues found then in their file. Kept beside the workflow rather than in a new return type, so
 * that tools (benchmarks, the conformance runner) prepare and submit a plain workflow.
 */
const awaitingResolution = new WeakMap<Workflow, ParsedWorkflow>();

export function prepareWorkflow(text: string, file: string, options: SubmitOptions): Workflow {
  return prepareParsed(parseWorkflow(text, file, options), options);
}

/** Every workflow of a file of one or more documents (`---`), as `argo submit` takes them; each is refused or prepared as one file's is. */
export function prepareWorkflows(text: string, file: string, options: SubmitOptions): Workflow[] {
  const parsed = parseWorkflows(text, file, options);
  // A name or uid given for the submission can be one workflow's only.
  if (parsed.length > 1 && options.uid !== undefined) throw new Error(`${file} holds ${parsed.length} workflows: one uid cannot name them all`);
  return parsed.map((each) => prepareParsed(each, options));
}

function prepareParsed(parsed: ParsedWorkflow, options: SubmitOptions): Workflow {
  const { workflow } = parsed;
  const metadata = workflow.metadata;
  if (options.generateName) {
    metadata.generateName = options.generateName;
    delete metadata.name;
  }
  metadata.namespace = options.namespace ?? metadata.namespace ?? 'default';
  if (options.labels) metadata.labels = { ...metadata.labels, ...options.labels };
  metadata.uid = options.uid ?? randomUUID();
  metadata.creationTimestamp = argoTime();
  if (refersToStoredResources(workflow)) awaitingResolution.set(workflow, parsed);
  else checkResolved(parsed);
  return workflow;
}

/**
 * Resolves what a prepared workflow refers to from the resources stored under `prefix`, then checks
 * it, and gives it its artifact repository; throws a SpecError naming the place of anything missing.
 * What is resolved already is not resolved again.
 */
export async function resolveWorkflow(redis: Redis, prefix: string, workflow: Workflow, installation: InstallationRepository = installationRepository): Promise<void> {
  const parsed = awaitingResolution.get(workflow);
  const resources = storedResources(new ResourceStore(redis, prefix));
  if (parsed) {
    const issues = await resolveReferences(workflow, resources);
    if (issues.length > 0) throw new SpecError(issues.map(({ path, message }) => parsed.source.issue('REFERENCE', path, message)));
    checkResolved(parsed);
    awaitingResolution.delete(workflow);
  }
  try {
    await resolveArtifactRepository(workflow, resources.getConfigMap, installation);
  } catch (error) {
    if (error instanceof ArtifactRepositoryError) throw new SpecError([repositoryIssue(workflow, error, parsed)]);
    throw error;
  }
}

/** Placed at the workflow's field that chose the repository; a namespace's or the installation's default is named by the message. */
function repositoryIssue(workflow: Workflow, error: ArtifactRepositoryError, parsed: ParsedWorkflow | undefined): SpecIssue {
  if (error.path && parsed) return parsed.source.issue('REFERENCE', error.path, error.message);
  const { namespace, name, generateName } = workflow.metadata;
  return { code: 'REFERENCE', file: `workflow ${namespace ?? 'default'}/${name ?? generateName ?? ''}`, path: error.path ? formatPath(error.path) : '', message: error.message };
}

function storedResources(store: ResourceStore): ResourceReader {
  return {
    getWorkflowTemplate: (namespace, name) => store.get('WorkflowTemplate', namespace, name),
    getClusterWorkflowTemplate: (name) => store.get('ClusterWorkflowTemplate', '', name),
    getConfigMap: (namespace, name) => store.get('ConfigMap', namespace, name),
  };
}

/** The spec's checks, then what the engine cannot run yet. */
function checkResolved(parsed: ParsedWorkflow): void {
  checkWorkflow(parsed);
  const { file } = parsed.source;
  const issues = engineIssues(parsed.workflow).map(({ path, message }) => ({ code: 'SCHEMA' as const, file, path, message }));
  if (issues.length > 0) throw new SpecError(issues);
}

/** The engine's checks over the spec and over each template copied from a WorkflowTemplate. */
function engineIssues(workflow: Workflow): { path: string; message: string }[] {
  // Once joined, workflowTemplateRef only records where the spec came from; the engine reads none of it.
  const { workflowTemplateRef: _joined, ...spec } = workflow.spec;
  const parts = [{ workflow: { ...workflow, spec }, place: (path: string) => path }];
  for (const [key, template] of Object.entries(workflow.status?.storedTemplates ?? {})) {
    const place = (path: string) => path.replace(/^spec\.templates\[0\]/, `status.storedTemplates["${key}"]`);
    parts.push({ workflow: { ...workflow, spec: { templates: [template] } }, place });
  }
  return parts.flatMap(({ workflow, place }) => [
    ...unsupportedFeatures(workflow).map(({ path, feature }) => ({ path: place(path), message: `${feature} is not supported by Regatta yet` })),
    ...expressionIssues(workflow).map(({ path, message }) => ({ path: place(path), message })),
  ]);
}

/** Stores and announces a prepared workflow; a generated name that is taken is drawn again. */
export async function submitWorkflow(redis: Redis, prefix: string, workflow: Workflow, shards: number, installation?: InstallationRepository): Promise<void> {
  await resolveWorkflow(redis, prefix, workflow, installation);
  const keys = new Keys(prefix);
  const instance = await ensureInstance(redis, keys, { id: randomUUID(), shards });
  const uid = workflow.metadata.uid!;
  const shard = shardOf(uid, instance.shards);
  const store = new WorkflowStore(redis, prefix);
  const { metadata } = workflow;
  const generated = metadata.name === undefined;
  for (let attempt = 1; ; attempt++) {
    if (generated) metadata.name = generatedName(metadata.generateName ?? 'workflow-');
    try {
      // Stores and announces it; a crash half-way is finished or undone by the shard's sweep.
      await store.create(workflow, shard);
      return;
    } catch (error) {
      if (!(generated && error instanceof StoreError && error.code === 'EXISTS' && attempt < 10)) throw error;
    }
  }
}

/** Kubernetes' SimpleNameGenerator: the base cut to 58 characters, so base and suffix fit a 63-character label value. */
export function generatedName(base: string): string {
  return `${base.slice(0, 63 - 5)}${randomSuffix()}`;
}

/** Five characters from Kubernetes' generateName alphabet. */
function randomSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return suffix;
}

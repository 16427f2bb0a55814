// Argo's artifacts as the engine sees them: never their bytes, only where they lie. A pod's output
// artifacts get their locations at dispatch: in Regatta's local store the key
// `<namespace>/<workflow uid>/<pod>/<name>` (the folder is shared by every tenant of a host, so keys are
// scoped, unlike Argo's default `<workflow>/<pod>`), in a repository of another store its location with
// the key format's key (artifact-locations.ts). A bare `key` is taken within the workflow's namespace, a
// key-only store location (`s3: {key: x}`) is completed from the repository, a call's `from` names an
// earlier node's artifact (the lookup answers its JSON), `fromExpression` picks one by an expression
// over the same names (Argo's conditional artifacts), `subPath` narrows either to a path inside an
// unarchived artifact, and input binding turns all of them into a location the executor places in the
// node's sandbox.
import { keyWithinNamespace, type Arguments, type Artifact, type NodeOutputs, type Template } from '@regatta/spec';
import { evaluateExpression, substituteString, type ExpressionMode, type Lookup } from '@regatta/expr';
import type { WorkflowState } from '../core/state.js';
import { completeKeyOnly, isArchiveKey, isWhole, keyOf, storedFileName, storeOf, withKey, type StoreLocation } from './artifact-locations.js';

/** The location fields a bound artifact carries on to the executor. */
type Location = Pick<Artifact, 'key' | 'archive' | 'raw' | (typeof STORE_FIELDS)[number]>;

/** The stores an artifact's location may name besides the local `key` and `raw`. */
const STORE_FIELDS = ['s3', 'gcs', 'azure', 'artifactory', 'http', 'git'] as const;

/** An artifact as written in YAML, with the two reference fields the spec types leave open. */
type Written = Artifact & { fromExpression?: unknown; subPath?: unknown };

/** The names a `fromExpression` sees, its `now()` and budget; made only when one is evaluated. */
export interface ReferenceScope {
  lookup: Lookup;
  mode: ExpressionMode;
}

/**
 * Argo's input binding for artifacts: an argument wins, then the input's own location; a string is the
 * error. `scope` gives the caller's names, for an argument's `fromExpression`; `namespace` is the
 * workflow's, which a bare `key` is taken in; `archive` completes key-only store locations.
 */
export function bindInputArtifacts(
  template: Template,
  args: Arguments | undefined,
  namespace: string,
  scope?: () => ReferenceScope,
  archive?: StoreLocation,
): Artifact[] | string {
  const bound: Artifact[] = [];
  for (const input of template.inputs?.artifacts ?? []) {
    const argument = args?.artifacts?.find((a) => a.name === input.name);
    const found = (argument && locationOf(argument, scope, namespace)) ?? locationOf(input, scope, namespace);
    const location = typeof found === 'object' ? placeKeyOnly(found, archive, namespace) : found;
    if (typeof location === 'string' && !input.optional) return `inputs.artifacts.${input.name}: ${location}`;
    if (typeof location !== 'object') {
      // An optional input without a source is simply not placed, as in Argo.
      if (input.optional) continue;
      return `inputs.artifacts.${input.name} was not supplied`;
    }
    bound.push({
      name: input.name,
      ...(input.path !== undefined && { path: input.path }),
      ...(input.mode !== undefined && { mode: input.mode }),
      ...(input.optional && { optional: true }),
      ...location,
    });
  }
  return bound;
}

/**
 * Where an argument or input says its artifact lies: `fromExpression`, `from` (already substituted to
 * an artifact's JSON), either narrowed by `subPath`; else a key or raw data. A string is the error.
 */
function locationOf(artifact: Written, scope: (() => ReferenceScope) | undefined, namespace?: string): Location | string | undefined {
  let location: Location | string;
  if (artifact.fromExpression !== undefined) {
    if (typeof artifact.fromExpression !== 'string') return 'fromExpression must be a string';
    location = scope ? locationFromExpression(artifact.fromExpression, scope()) : 'fromExpression has no names to be evaluated over here';
  } else if (artifact.from !== undefined) {
    location = locationFromReference(artifact.from);
  } else if (artifact.key !== undefined) {
    return namespace === undefined ? 'a key is taken within a workflow only' : bareKeyLocation(pickLocation(artifact), namespace);
  } else {
    return artifact.raw !== undefined || STORE_FIELDS.some((field) => artifact[field] !== undefined) ? pickLocation(artifact) : undefined;
  }
  if (typeof location !== 'object' || artifact.subPath === undefined) return location;
  return typeof artifact.subPath === 'string' ? withSubPath(location, artifact.subPath) : 'subPath must be a string';
}

function locationFromReference(from: string): Location | string {
  if (from.includes('{{')) return `unable to resolve ${from}`;
  const source = parseArtifact(from);
  return source ? pickLocation(source) : `from "${from}" is not an artifact reference`;
}

/**
 * Argo's conditional artifacts: the expression answers one artifact of the names in scope (which the
 * lookup gives as the artifact's JSON, as for `from`), e.g. `cond ? steps.a.outputs.artifacts.x : …`.
 */
function locationFromExpression(source: string, scope: ReferenceScope): Location | string {
  let value: unknown;
  try {
    value = evaluateExpression(source, scope.lookup, { now: new Date(scope.mode.now), budget: scope.mode.budget });
  } catch (error) {
    return `fromExpression: ${(error as Error).message}`;
  }
  const artifact = typeof value === 'string' ? parseArtifact(value) : undefined;
  if (artifact) return pickLocation(artifact);
  const got = value === null || value === undefined ? 'nil' : typeof value === 'string' ? `the text ${JSON.stringify(value)}` : `a ${typeof value}`;
  return `fromExpression ${JSON.stringify(source)} evaluated to ${got}, not an artifact`;
}

/** An artifact's JSON as the lookup answers it; anything else is not one. */
function parseArtifact(text: string): Artifact | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const artifact = value as Artifact;
  return typeof artifact.key === 'string' || typeof artifact.raw === 'object' || STORE_FIELDS.some((field) => typeof artifact[field] === 'object') ? artifact : undefined;
}

/**
 * Argo's `subPath`: the artifact's key with the sub path appended (its AppendToKey), so the path inside
 * a stored tree. An archive holds no paths of its own in the repository, so there it is the node's error.
 */
function withSubPath(location: Location, subPath: string): Location | string {
  const subject = `subPath ${JSON.stringify(subPath)}`;
  const store = storeOf(location);
  const key = store ? keyOf(location, store) : location.key;
  if (key === undefined) return `${subject} cannot be taken of ${location.raw ? 'raw data' : 'an artifact without a key'}`;
  if (isArchiveKey(key)) {
    return `${subject} cannot be taken of an archived artifact (stored as ${key}); save the artifact with "archive: {none: {}}" to pass paths inside it`;
  }
  const segments: string[] = [];
  for (const segment of subPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) return `${subject} leaves the artifact`;
  }
  const inside = segments.length > 0 ? `${key}/${segments.join('/')}` : key;
  // What lies inside an unarchived tree is taken as it is, whatever its name ends in.
  return { ...location, ...(store ? withKey(location, store, inside) : { key: inside }), archive: { none: {} } };
}

/** A key written as it is (`key: <path>`): a path in the workflow's own namespace of the repository, which may not climb out of it. */
function bareKeyLocation(location: Location, namespace: string): Location | string {
  const key = String(location.key);
  if (key.includes('{{')) return `unable to resolve key ${key}`;
  const path = keyWithinNamespace(key);
  if (typeof path !== 'string' || path === '') return `key "${key}" must be a path inside the namespace's artifacts, without ".."`;
  return { ...location, key: `${namespace}/${path}` };
}

function pickLocation(artifact: Artifact): Location {
  const location: Location = {};
  for (const field of ['key', 'archive', 'raw', ...STORE_FIELDS] as const) {
    if (artifact[field] !== undefined) Object.assign(location, { [field]: artifact[field] });
  }
  return location;
}

/**
 * A pod's output artifacts with where each is saved. Under `archive` (a store's location, its key the
 * pod's, substituted): a location that names only its key is completed from it, one naming nothing gets
 * it with the key `<pod key>/<file name>` (`<name>.tgz`, `<name>.zip`, or the path's base name
 * unarchived), a whole one is kept. Without it, Regatta's local store:
 * `<namespace>/<workflow uid>/<pod>/<name>`, `.tgz` (`.zip`) unless `archive: {none: {}}`. A string is the error.
 */
export function outputArtifactsOf(
  template: Template,
  workflow: { namespace: string; uid: string },
  podName: string,
  archive?: StoreLocation,
): Artifact[] | string | undefined {
  const declared = template.outputs?.artifacts;
  if (!declared?.length) return undefined;
  const located: Artifact[] = [];
  for (const artifact of declared) {
    const place = outputLocation(artifact, workflow, podName, archive);
    if (typeof place === 'string') return `outputs.artifacts.${artifact.name}: ${place}`;
    located.push(place);
  }
  return located;
}

/**
 * Argo's key-only artifacts: a store location naming only its key is completed from the archive location;
 * without one (Regatta's local store) the key is taken as a bare `key` in the workflow's namespace, so
 * Argo's key-only examples run in `regatta run`. Anything else is returned as it is.
 */
function placeKeyOnly<T extends Location>(location: T, archive: StoreLocation | undefined, namespace: string): T | Location | string {
  const store = storeOf(location);
  if (!store || isWhole(location, store)) return location;
  const key = keyOf(location, store);
  if ((archive && storeOf(archive)) || key === undefined) return completeKeyOnly(location, archive);
  const local: T = { ...location, key };
  delete local[store];
  return bareKeyLocation(local, namespace);
}

function outputLocation(artifact: Artifact, workflow: { namespace: string; uid: string }, podName: string, archive: StoreLocation | undefined): Artifact | string {
  if (storeOf(artifact)) {
    const placed = placeKeyOnly(pickLocation(artifact), archive, workflow.namespace);
    if (typeof placed === 'string') return placed;
    const declared: Artifact = { ...artifact };
    for (const field of STORE_FIELDS) delete declared[field];
    return { ...declared, ...placed };
  }
  const store = archive && storeOf(archive);
  if (archive && store) return { ...artifact, ...withKey(archive, store, `${keyOf(archive, store) ?? ''}/${storedFileName(artifact)}`) };
  const suffix = artifact.archive?.none ? '' : artifact.archive?.zip ? '.zip' : '.tgz';
  return { ...artifact, key: `${workflow.namespace}/${workflow.uid}/${podName}/${artifact.name}${suffix}` };
}

/** An artifact of a node's outputs (or bound inputs) by name, as JSON for a `from`; a missing one stays unresolved. */
export function artifactField(outputs: NodeOutputs | undefined, name: string): string | undefined {
  const artifact = outputs?.artifacts?.find((a) => a.name === name);
  return artifact && JSON.stringify(artifact);
}

/**
 * A steps or DAG template's output artifacts, each taken `from` a child's or picked by `fromExpression`
 * (either narrowed by `subPath`); a string is the error. An optional one that resolves to nothing is left out.
 */
export function liftArtifacts(template: Template, scope: Lookup, mode: ExpressionMode): Artifact[] | string | undefined {
  const declared = template.outputs?.artifacts;
  if (!declared?.length) return undefined;
  const lifted: Artifact[] = [];
  for (const artifact of declared as Written[]) {
    // Only the reference fields: a body's output lies where its child's does, never at a key of its own.
    const reference: Written = {
      name: artifact.name,
      from: artifact.from === undefined ? undefined : substituteString(artifact.from, scope, mode),
      fromExpression: artifact.fromExpression,
      subPath: typeof artifact.subPath === 'string' ? substituteString(artifact.subPath, scope, mode) : artifact.subPath,
    };
    const location = reference.from === undefined && reference.fromExpression === undefined ? undefined : locationOf(reference, () => ({ lookup: scope, mode }));
    if (typeof location !== 'object') {
      if (artifact.optional) continue;
      // A `from` that names nothing (yet) keeps Argo's wording; an expression or a sub path says why.
      return location === undefined || location.startsWith('unable to resolve')
        ? `unable to resolve outputs.artifacts.${artifact.name}`
        : `outputs.artifacts.${artifact.name}: ${location}`;
    }
    lifted.push({ name: artifact.name, ...(artifact.path !== undefined && { path: artifact.path }), ...location });
  }
  return lifted;
}

/** Argo's global output artifacts: one with a `globalName` becomes `workflow.outputs.artifacts.<globalName>`. */
export function exportGlobalArtifacts(state: WorkflowState, template: Template | undefined, outputs: NodeOutputs | undefined): void {
  for (const declared of template?.outputs?.artifacts ?? []) {
    if (!declared.globalName) continue;
    const artifact = outputs?.artifacts?.find((a) => a.name === declared.name);
    if (!artifact) continue;
    const globals = ((state.status.outputs ??= {}).artifacts ??= []);
    const exported = { ...artifact, name: declared.globalName };
    const index = globals.findIndex((a) => a.name === declared.globalName);
    if (index >= 0) globals[index] = exported;
    else globals.push(exported);
    state.touchStatus();
  }
}

// Argo's data templates: list the files under an artifact location (in its store, for a location that
// names more than a key; otherwise a key prefix of the local artifact repository, taken within the
// workflow's namespace as a bare key is, and the keys listed likewise), pass the list through each
// transformation expression as `data`, and make the last value, as JSON, the node's result. All transformations of one node share a budget, so a long list of costly
// expressions cannot hold the worker (and lose it its job locks) for minutes.
import { evaluateExpression, sharedBudget } from '@regatta/expr';
import type { ArtifactStore } from '@regatta/artifacts';
import { keyWithinNamespace, type Artifact } from '@regatta/spec';
import { endedSince } from '../ended-since.js';
import type { Executor, NodeRunRequest, NodeRunResult } from '../executor.js';

/** Expression steps all transformations of one node may take together (about 70 ms per million). */
const NODE_EXPRESSION_STEPS = 10_000_000;

/** The key a location names (`key:`, or a key-only `s3: {key}` and the like), '' for the whole repository. */
function keyOf(location: Record<string, unknown>): string {
  if (typeof location.key === 'string') return location.key;
  for (const value of Object.values(location)) {
    const key = (value as { key?: unknown } | null)?.key;
    if (typeof key === 'string') return key;
  }
  return '';
}

export class DataExecutor implements Executor {
  readonly name = 'data';

  constructor(private readonly store: ArtifactStore) {}

  async run(request: NodeRunRequest): Promise<NodeRunResult> {
    const ended = endedSince();
    const spec = request.data;
    if (!spec) return ended('Error', 'node has no data template');
    let data: unknown;
    try {
      data = await this.listed(spec.source.artifactPaths, request.workflow.namespace);
    } catch (error) {
      return ended('Error', `artifactPaths: ${(error as Error).message}`);
    }
    const budget = sharedBudget(NODE_EXPRESSION_STEPS, 'expressions of one node');
    for (const [i, step] of (spec.transformation ?? []).entries()) {
      try {
        data = evaluateExpression(step.expression, (path) => (path === 'data' ? data : undefined), { budget });
      } catch (error) {
        return ended('Error', `transformation[${i}]: ${(error as Error).message}`);
      }
    }
    return ended('Succeeded', undefined, JSON.stringify(data));
  }

  /**
   * The keys under the source. A key-only location (`s3: {key}` with no bucket) is a key of the local
   * repository, as a bare `key` is, until a configured artifact repository gives it a store.
   */
  private async listed(source: Artifact, namespace: string): Promise<string[]> {
    if (!this.keyOnly(source)) return this.store.list(source, namespace);
    const path = keyWithinNamespace(keyOf(source));
    if (typeof path !== 'string') throw new Error(path.error);
    const prefix = `${namespace}/`;
    const listed = await this.store.list({ name: source.name, key: `${prefix}${path}` }, namespace);
    return listed.map((found) => found.slice(prefix.length));
  }

  /** Whether the source names no more than a key (`key:`, `s3: {key}`, …): whatever store names more is listed there. */
  private keyOnly(source: Artifact): boolean {
    return Object.values(this.store.locationOf(source)).every((field) => typeof field === 'string' || Object.keys(field as object).every((name) => name === 'key'));
  }
}

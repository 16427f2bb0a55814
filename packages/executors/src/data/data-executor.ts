// Argo's data templates: list the files under an artifact location (here, a key prefix of the local
// artifact repository, taken within the workflow's namespace as a bare key is, and the keys listed
// likewise), pass the list through each transformation expression as `data`, and make the last value, as
// JSON, the node's result. All transformations of one node share a budget, so a long list of costly
// expressions cannot hold the worker (and lose it its job locks) for minutes.
import { evaluateExpression, sharedBudget } from '@regatta/expr';
import { keyWithinNamespace } from '@regatta/spec';
import type { LocalArtifactRepository } from '../artifacts/local-repository.js';
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

  constructor(private readonly repository: LocalArtifactRepository | undefined) {}

  async run(request: NodeRunRequest): Promise<NodeRunResult> {
    const ended = endedSince();
    const spec = request.data;
    if (!spec) return ended('Error', 'node has no data template');
    if (!this.repository) return ended('Error', 'this worker has no artifact repository to read a data source from');
    const key = keyOf(spec.source.artifactPaths);
    const path = keyWithinNamespace(key);
    if (typeof path !== 'string') return ended('Error', path.error);
    const namespace = `${request.workflow.namespace}/`;
    const listed = await this.repository.list(`${namespace}${path}`);
    let data: unknown = listed.map((found) => found.slice(namespace.length));
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
}

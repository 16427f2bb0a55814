// One worker runs every kind of node: HTTP templates by the HTTP executor, the rest by the container
// executor it was started with (local or noop).
import type { Executor, NodeRunRequest, NodeRunResult, RunContext } from './executor.js';

export class RoutingExecutor implements Executor {
  readonly name: string;

  constructor(
    private readonly containers: Executor,
    private readonly http: Executor,
  ) {
    this.name = containers.name;
  }

  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    return (request.http ? this.http : this.containers).run(request, context);
  }
}

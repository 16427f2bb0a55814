// One worker runs every kind of node: HTTP, data and resource templates by their own executors, the
// rest by the container executor it was started with (local, kubernetes or noop).
import type { Executor, NodeRunRequest, NodeRunResult, RunContext } from './executor.js';

export class RoutingExecutor implements Executor {
  readonly name: string;

  constructor(
    private readonly containers: Executor,
    private readonly http: Executor,
    private readonly data: Executor,
    private readonly resource: Executor,
  ) {
    this.name = containers.name;
  }

  run(request: NodeRunRequest, context: RunContext): Promise<NodeRunResult> {
    const executor = request.http ? this.http : request.data ? this.data : request.resource ? this.resource : this.containers;
    return executor.run(request, context);
  }

  async close(): Promise<void> {
    await this.containers.close?.();
  }
}

// Follows a submitted workflow to its end as `argo submit --watch` does: a live tree on a terminal,
// or node output with `--log`; returns the final workflow.
import type { WorkflowClient } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { formatWorkflow, LiveView, printLogEntry, type OutputFormat } from '../output.js';
import { renderNodeTree } from '../render/index.js';

export interface WatchOptions {
  log: boolean;
  output: OutputFormat;
}

export async function watchToEnd(client: WorkflowClient, submitted: Workflow, options: WatchOptions): Promise<Workflow> {
  const view = new LiveView();
  const color = view.interactive && !process.env.NO_COLOR;
  const showTree = options.output === 'text' && !options.log;
  const { namespace = 'default', name = '', uid } = submitted.metadata;
  const [final] = await Promise.all([
    client.watchWorkflow(namespace, name, (workflow) => {
      if (showTree) view.draw(`${renderNodeTree(workflow, { now: new Date(), color, width: process.stdout.columns })}\n`);
    }, { uid }),
    options.log ? client.workflowLogs(namespace, name, printLogEntry, { follow: true, uid }) : undefined,
  ]);
  const frame = formatWorkflow(final, options.output, color);
  if (options.output === 'text') view.final(frame);
  else process.stdout.write(frame);
  return final;
}

// Follows a submitted workflow to its end as `argo submit --watch` does: a live tree on a terminal,
// or node output with `--log`; returns the final workflow.
import type { StoredWorkflow } from '@regatta/store';
import type { Connection } from '../connection.js';
import { followWorkflow } from '../follow.js';
import { LogFollower } from '../log-follower.js';
import { formatWorkflow, LiveView, type OutputFormat } from '../output.js';
import { renderNodeTree } from '../render/index.js';

export interface WatchOptions {
  log: boolean;
  output: OutputFormat;
}

export async function watchToEnd(connection: Connection, uid: string, options: WatchOptions): Promise<StoredWorkflow> {
  const view = new LiveView();
  const color = view.interactive && !process.env.NO_COLOR;
  const showTree = options.output === 'wide' && !options.log;
  const follower = options.log
    ? new LogFollower(connection.logs, connection.store, uid, {}, (text) => process.stdout.write(text))
    : undefined;
  let logsDone = Promise.resolve();
  const final = await followWorkflow(connection.url, connection.store, uid, (stored) => {
    if (showTree) view.draw(`${renderNodeTree(stored.workflow, { now: new Date(), color, width: process.stdout.columns })}\n`);
    if (follower) logsDone = logsDone.then(() => follower.drain().then(() => undefined));
  });
  await logsDone;
  await follower?.drain();
  const frame = formatWorkflow(final.workflow, options.output, color);
  if (options.output === 'wide') view.final(frame);
  else process.stdout.write(frame);
  return final;
}

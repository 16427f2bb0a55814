// Follows one workflow until it ends: each stored transition publishes a notice naming what it
// changed, and the view (WorkflowView) reads only that, at most every `intervalMs` however fast
// notices come. No polling: between notices it waits.
import { workflowEnded } from '@regatta/spec';
import { connectRedis } from '@regatta/store';
import type { StoredWorkflow, WorkflowStore } from '@regatta/store';
import { WorkflowView, type WorkflowUpdate } from './workflow-view.js';

export async function followWorkflow(
  redisUrl: string,
  store: WorkflowStore,
  uid: string,
  onChange: (update: WorkflowUpdate) => void,
  intervalMs = 150,
): Promise<StoredWorkflow> {
  const subscriber = connectRedis(redisUrl, { maxRetriesPerRequest: null });
  const view = new WorkflowView(store, uid);
  let wake: (() => void) | undefined;
  subscriber.on('message', (_channel: string, message: string) => {
    view.notice(message);
    wake?.();
  });
  try {
    // Subscribe before the first read, so no change between the two is missed.
    await subscriber.subscribe(store.keys.workflow(uid).updates);
    for (;;) {
      if (!view.pending) await new Promise<void>((resolve) => (wake = resolve));
      const update = await view.refresh();
      if (!update) throw new Error(`workflow ${uid} was deleted while being followed`);
      onChange(update);
      if (workflowEnded(update.stored.workflow.status.phase)) return update.stored;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    subscriber.disconnect();
  }
}

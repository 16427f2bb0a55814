// Follows one workflow until it ends: each stored transition publishes a notice, and the view reloads
// at most every `intervalMs` however fast notices come. No polling: between notices it waits.
import { workflowEnded } from '@regatta/spec';
import { connectRedis } from '@regatta/store';
import type { Redis } from 'ioredis';
import type { StoredWorkflow, WorkflowStore } from '@regatta/store';


function hasEnded(stored: StoredWorkflow): boolean {
  return workflowEnded(stored.workflow.status.phase);
}

export async function followWorkflow(
  redisUrl: string,
  store: WorkflowStore,
  uid: string,
  onChange: (stored: StoredWorkflow) => void,
  intervalMs = 150,
): Promise<StoredWorkflow> {
  const subscriber = connectRedis(redisUrl, { maxRetriesPerRequest: null });
  let wake: (() => void) | undefined;
  let notified = true;
  subscriber.on('message', () => {
    notified = true;
    wake?.();
  });
  try {
    // Subscribe before the first read, so no change between the two is missed.
    await subscriber.subscribe(store.keys.workflow(uid).updates);
    for (;;) {
      if (!notified) await new Promise<void>((resolve) => (wake = resolve));
      notified = false;
      const stored = await store.load(uid);
      if (!stored) throw new Error(`workflow ${uid} was deleted while being followed`);
      onChange(stored);
      if (hasEnded(stored)) return stored;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  } finally {
    subscriber.disconnect();
  }
}

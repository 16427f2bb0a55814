// Submission: validate and refuse before anything is stored, then store the workflow, and only then
// announce it on its shard stream. Used by `submit` and `run` alike.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { expressionIssues, unsupportedFeatures } from '@regatta/engine';
import { shardOf, ShardStreams } from '@regatta/queue';
import { argoTime, loadWorkflow, SpecError, type LoadOptions, type Workflow } from '@regatta/spec';
import { ensureInstance, Keys, StoreError, WorkflowStore } from '@regatta/store';

export interface SubmitOptions extends LoadOptions {
  namespace?: string;
  generateName?: string;
  shards: number;
}

/** Kubernetes' generateName alphabet: no vowels, no look-alike digits. */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function prepareWorkflow(text: string, file: string, options: SubmitOptions): Workflow {
  const workflow = loadWorkflow(text, file, options);
  const issues = [
    ...unsupportedFeatures(workflow).map(({ path, feature }) => ({ code: 'SCHEMA' as const, file, path, message: `${feature} is not supported by Regatta yet` })),
    ...expressionIssues(workflow).map(({ path, message }) => ({ code: 'SCHEMA' as const, file, path, message })),
  ];
  if (issues.length > 0) throw new SpecError(issues);
  const metadata = workflow.metadata;
  if (options.generateName) {
    metadata.generateName = options.generateName;
    delete metadata.name;
  }
  metadata.namespace = options.namespace ?? metadata.namespace ?? 'default';
  metadata.uid = randomUUID();
  metadata.creationTimestamp = argoTime();
  return workflow;
}

/** Stores and announces a prepared workflow; a generated name that is taken is drawn again. */
export async function submitWorkflow(redis: Redis, prefix: string, workflow: Workflow, shards: number): Promise<void> {
  const keys = new Keys(prefix);
  const instance = await ensureInstance(redis, keys, { id: randomUUID(), shards });
  const uid = workflow.metadata.uid!;
  const shard = shardOf(uid, instance.shards);
  const store = new WorkflowStore(redis, prefix);
  const { metadata } = workflow;
  const generated = metadata.name === undefined;
  for (let attempt = 1; ; attempt++) {
    if (generated) metadata.name = `${metadata.generateName ?? 'workflow-'}${randomSuffix()}`;
    try {
      await store.create(workflow, shard);
      break;
    } catch (error) {
      if (!(generated && error instanceof StoreError && error.code === 'EXISTS' && attempt < 10)) throw error;
    }
  }
  await new ShardStreams(redis, (s) => keys.shard(s).events).append(shard, uid, { type: 'workflowSubmitted' });
}

function randomSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return suffix;
}

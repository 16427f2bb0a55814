// Submitting a workflow writes three hash slots - the shard's (the submission in progress and the
// `workflowSubmitted` event), the workflow's (its record) and the namespace's name index - so no one
// script can do it. It runs as steps, each atomic, in an order that leaves any crash in a state the
// shard's sweep can finish or undo:
//   1. begin: the uid goes into the shard's `submitting` set, timed by Redis;
//   2. the record is written (only if absent: a step run again never resets a running workflow);
//   3. the name is claimed (compare-and-set, see claimName);
//   4. announce: the event is appended and the uid leaves `submitting`, in one script.
// A submission older than STALE_MS is settled by the sweep of the shard's owner: announced when its
// record and name are in place (the engine ignores a second `workflowSubmitted`), otherwise rolled back
// (marked first, so its submitter's announce is refused, then its record and name are removed).
import type { Workflow } from '@regatta/spec';
import type { ShardEvent } from '@regatta/protocol';
import type { Redis } from 'ioredis';
import { StoreError } from './errors.js';
import type { Keys } from './keys.js';
import { statusJson } from './record.js';
import type { ScriptCaller } from './scripts.js';

/** A submission this old has lost its submitter (a submission takes milliseconds). */
export const STALE_MS = 30_000;

// Appended by the announceWorkflow script in the protocol's single-event form (fields u, e).
const SUBMITTED_EVENT = JSON.stringify({ type: 'workflowSubmitted' } satisfies ShardEvent);

export type AnnounceOutcome = 'announced' | 'gone' | 'rolledBack';
export type SettleOutcome = 'announced' | 'rolledBack' | 'none';

export class Submissions {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly script: ScriptCaller,
  ) {}

  /**
   * Stores and announces a new workflow. Throws StoreError EXISTS when its name is taken (nothing of it
   * is left), ROLLED_BACK when a sweep undid it because this took longer than STALE_MS.
   */
  async submit(workflow: Workflow, shard: number): Promise<void> {
    const { name, namespace = 'default', uid } = workflow.metadata;
    if (!name || !uid) throw new Error('a stored workflow needs metadata.name and metadata.uid');
    for (let attempt = 1; ; attempt++) {
      await this.begin(uid, shard);
      await this.writeRecord(workflow, shard);
      if (!(await this.claimName(namespace, name, uid))) {
        await this.redis.del(this.keys.workflow(uid).record, this.keys.workflow(uid).nodes);
        await this.redis.zrem(this.keys.shard(shard).submitting, uid);
        throw new StoreError('EXISTS', `workflow "${name}" already exists in namespace "${namespace}"`);
      }
      const outcome = await this.announce(uid, shard);
      if (outcome === 'announced') return;
      if (outcome === 'gone') {
        // A sweep settled it under this stalled submitter: announced if the record is there (a rollback
        // removes it before ending the submission); else the steps, each idempotent, run once more.
        if ((await this.redis.exists(this.keys.workflow(uid).record)) === 1) return;
        if (attempt > 1) throw new StoreError('ROLLED_BACK', `workflow "${name}": submission was rolled back twice; submit it again`);
        continue;
      }
      // 'rolledBack': a sweep is undoing it; the name it claimed goes too.
      await this.releaseName(namespace, name, uid);
      throw new StoreError('ROLLED_BACK', `workflow "${name}": submission took over ${STALE_MS / 1000} s and was rolled back; submit it again`);
    }
  }

  /** Step 1. */
  async begin(uid: string, shard: number): Promise<void> {
    if (Number(await this.script('beginSubmission', [this.keys.shard(shard).submitting], [uid])) === 1) return;
    throw new StoreError('ROLLED_BACK', `workflow ${uid}: an earlier submission is being rolled back; submit it again`);
  }

  /** Step 2: the record and the nodes the workflow starts with, unless the record exists. */
  async writeRecord(workflow: Workflow, shard: number): Promise<void> {
    const keys = this.keys.workflow(workflow.metadata.uid!);
    const { status, ...resource } = workflow;
    const args: (string | number)[] = [JSON.stringify(resource), statusJson(status ?? { phase: '' }), shard];
    // Appended one by one: spread as arguments, 100,000 nodes' ids and JSON overflow the call stack.
    for (const [id, node] of Object.entries(status?.nodes ?? {})) args.push(id, JSON.stringify(node));
    await this.script('createWorkflowRecord', [keys.record, keys.nodes], args);
  }

  /**
   * Step 3: claims the name for the uid; false when a live workflow holds it. A holder without a record
   * is a leftover (its workflow was deleted, or its submission rolled back, and a crash kept the name):
   * every holder wrote its record before claiming, so one without a record is not being created now.
   */
  async claimName(namespace: string, name: string, uid: string): Promise<boolean> {
    const index = this.keys.names(namespace);
    let replaceable = '';
    for (;;) {
      const holder = String(await this.script('claimWorkflowName', [index], [name, uid, replaceable]));
      if (holder === '') return true;
      if (holder === replaceable || (await this.redis.exists(this.keys.workflow(holder).record)) === 1) return false;
      replaceable = holder;
    }
  }

  /** Step 4. */
  async announce(uid: string, shard: number): Promise<AnnounceOutcome> {
    const { submitting, events } = this.keys.shard(shard);
    const result = Number(await this.script('announceWorkflow', [submitting, events], [uid, SUBMITTED_EVENT]));
    return result === 1 ? 'announced' : result === 0 ? 'gone' : 'rolledBack';
  }

  /** Removes the name only while it names this uid. */
  async releaseName(namespace: string, name: string, uid: string): Promise<void> {
    await this.script('releaseWorkflowName', [this.keys.names(namespace)], [name, uid]);
  }

  /** Submissions of the shard begun over `ageMs` ago (by Redis's clock), and those being rolled back. */
  async stale(shard: number, ageMs = STALE_MS, limit = 1000): Promise<string[]> {
    return (await this.script('findStaleSubmissions', [this.keys.shard(shard).submitting], [ageMs, limit])) as string[];
  }

  /** The sweep's decision for one submission in progress: finish it if its record and name are in place, else undo it. */
  async settle(uid: string, shard: number): Promise<SettleOutcome> {
    const { submitting } = this.keys.shard(shard);
    const keys = this.keys.workflow(uid);
    const score = await this.redis.zscore(submitting, uid);
    if (score === null) return 'none';
    const resource = await this.redis.hget(keys.record, 'resource');
    const { name, namespace = 'default' } = resource ? (JSON.parse(resource) as Workflow).metadata : {};
    if (Number(score) >= 0) {
      if (name !== undefined && (await this.redis.hget(this.keys.names(namespace), name)) === uid) {
        return (await this.announce(uid, shard)) === 'announced' ? 'announced' : 'none';
      }
      if (Number(await this.script('abandonSubmission', [submitting], [uid])) === 0) return 'none';
    }
    // Marked: no announce can happen any more, so what it wrote goes; the mark last, so a crash here is redone.
    if (name !== undefined) await this.releaseName(namespace, name, uid);
    await this.redis.del(keys.record, keys.nodes, keys.outbox, keys.logs);
    await this.redis.zrem(submitting, uid);
    return 'rolledBack';
  }
}

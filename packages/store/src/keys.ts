// Redis key layout. Every key of one workflow shares the hash tag {wf:<uid>}, every key of one shard
// the tag {s<n>} and every stored resource the tag {resources}, so each Lua script touches one slot and
// the layout works on Redis Cluster.

export class Keys {
  constructor(readonly prefix: string) {}

  workflow(uid: string): WorkflowKeys {
    const base = `${this.prefix}:{wf:${uid}}`;
    return {
      record: `${base}:record`,
      nodes: `${base}:nodes`,
      outbox: `${base}:outbox`,
      logs: `${base}:logs`,
      updates: `${base}:updates`,
    };
  }

  /** Workflow names per namespace → uid; its own slot, written before the record on submit. */
  names(namespace: string): string {
    return `${this.prefix}:names:${namespace}`;
  }

  shard(index: number): ShardKeys {
    const base = `${this.prefix}:{s${index}}`;
    return { events: `${base}:events`, dead: `${base}:dead`, timers: `${base}:timers`, lease: `${base}:lease`, epoch: `${base}:epoch`, submitting: `${base}:submitting` };
  }

  /**
   * A workflow's pending timers on its shard (a set of members of `timers`), so deleting the workflow
   * removes them; in the shard's slot, and named `<timers>:<uid>` because promoteTimers-2.lua
   * (@regatta/queue) derives it from the timers key.
   */
  timerIndex(shard: number, uid: string): string {
    return `${this.shard(shard).timers}:${uid}`;
  }

  /** Pub/sub channel on which a deleted workflow's uid is announced, so workers stop its nodes. */
  get cancellations(): string {
    return `${this.prefix}:cancellations`;
  }

  /**
   * Uids of ended workflows not yet in the workflow archive (a sorted set scored by when to look next);
   * its own slot. Written before the end is stored, removed once the archive's row is committed.
   */
  get archivePending(): string {
    return `${this.prefix}:archive:pending`;
  }

  /** Live schedulers with their expiry; its own slot. */
  get schedulers(): string {
    return `${this.prefix}:schedulers`;
  }

  /** Written once per Redis data set: shard count and identity, read by every process at start. */
  get instance(): string {
    return `${this.prefix}:instance`;
  }

  /**
   * WorkflowTemplates, ClusterWorkflowTemplates and ConfigMaps: a hash per kind, all under the one
   * hash tag {resources}, so that any script over them stays in one slot on Redis Cluster.
   */
  get resources(): ResourceKeys {
    const base = `${this.prefix}:{resources}`;
    return {
      workflowTemplates: `${base}:workflowtemplates`,
      clusterWorkflowTemplates: `${base}:clusterworkflowtemplates`,
      configMaps: `${base}:configmaps`,
      cronWorkflows: `${base}:cronworkflows`,
      workflowEventBindings: `${base}:workfloweventbindings`,
      secrets: `${base}:secrets`,
    };
  }

  /** A CronWorkflow's status and children, under {resources} so one script reads its spec too. */
  cronStatus(namespace: string, name: string): CronStatusKeys {
    const base = `${this.prefix}:{resources}:cron:${namespace}/${name}`;
    return { status: `${base}:status`, active: `${base}:active`, pending: `${base}:pending`, succeeded: `${base}:succeeded`, failed: `${base}:failed` };
  }

  /** Semaphores and mutexes: every key under the one hash tag {sync}, so one script takes several at once. */
  get locks(): LockKeys {
    const base = `${this.prefix}:{sync}`;
    return { base, requests: `${base}:requests`, names: `${base}:locks`, untold: `${base}:untold` };
  }

  /** A memoization cache (Argo keeps one in a ConfigMap): a hash of key -> cached outputs. */
  memoCache(namespace: string, name: string): string {
    return `${this.prefix}:{memo}:${namespace}/${name}`;
  }

  /** BullMQ prefix for a node pool; the braces make the pool's keys one slot. */
  pool(name: string): string {
    return `${this.prefix}:{pool-${name}}`;
  }
}

export interface WorkflowKeys {
  record: string;
  nodes: string;
  outbox: string;
  logs: string;
  updates: string;
}

export interface LockKeys {
  /** Per-lock keys are `<base>:holders:<lock>`, `<base>:waiters:<lock>`, and `<base>:limits`. */
  base: string;
  requests: string;
  names: string;
  /** Sorted set: holders granted a lock but not yet told so (holder JSON -> when granted, ms). */
  untold: string;
}

export interface CronStatusKeys {
  /** Hash: handledTick, lastScheduledTime, succeeded, failed, phase. */
  status: string;
  /** Hash: uid -> name of children not yet ended. */
  active: string;
  /** Hash: uid -> CronPending JSON of children claimed with their tick and not yet known to be submitted. */
  pending: string;
  /** Sorted sets of ended children (`<uid> <name>`), scored by when they were seen to end. */
  succeeded: string;
  failed: string;
}

export interface ResourceKeys {
  workflowTemplates: string;
  clusterWorkflowTemplates: string;
  configMaps: string;
  /** CronWorkflow specs; each one's status lives beside it under the same tag (see cronStatus). */
  cronWorkflows: string;
  workflowEventBindings: string;
  /** Secrets, each value encrypted (secret-store.ts). */
  secrets: string;
}

export interface ShardKeys {
  events: string;
  /** Entries that did not decode or kept failing, with why (a capped stream). */
  dead: string;
  /** Events due later (retry backoff, suspend durations, deadlines), scored by due time in ms. */
  timers: string;
  lease: string;
  epoch: string;
  /**
   * Submissions begun and not yet announced on `events` (uid -> when begun, Redis time in ms; -1 once
   * a sweep is rolling one back), so a submitter that dies half-way is finished or undone.
   */
  submitting: string;
}

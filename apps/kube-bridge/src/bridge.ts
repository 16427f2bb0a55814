// `kubectl apply -f wf.yaml` runs a workflow: the bridge watches Workflow objects (argoproj.io, the CRD of
// deploy/), submits each new one to Regatta under the object's own uid, so a resync or a restarted bridge
// finds it submitted instead of submitting it twice, and writes Regatta's state back to the object's
// status (StatusWriter). A spec Regatta refuses ends the object in Error with the refusal's message,
// as Argo's controller does; deleting the object deletes the workflow.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { ClientError, prepareWorkflow, type RedisWorkflowClient } from '@regatta/client';
import { argoTime, SpecError, workflowEnded, type WorkflowPhase } from '@regatta/spec';
import { StoreError, type WorkflowStore } from '@regatta/store';
import type { Logger } from '@regatta/telemetry';
import type { StatusWriter, WorkflowObjectRef } from './status-writer.js';

/** A Workflow object as the API server gives it (only what the bridge reads). */
export interface WorkflowObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: unknown;
  status?: { phase?: WorkflowPhase };
}

export interface KubeBridgeOptions {
  kubeConfig: KubeConfig;
  /** Watch this namespace's Workflow objects only; unset, every namespace's. */
  namespace?: string;
  client: RedisWorkflowClient;
  store: WorkflowStore;
  statusWriter: StatusWriter;
  shards: number;
  logger: Logger;
  /** The wait before a watch that ended is opened again. */
  rewatchMs?: number;
}

export class KubeBridge {
  private request: { abort(): void } | undefined;
  private closed = false;
  private rewatchTimer: NodeJS.Timeout | undefined;
  /** Handling of one object at a time (a watch's events for it come in order). */
  private readonly inHand = new Map<string, Promise<void>>();

  constructor(private readonly options: KubeBridgeOptions) {}

  async start(): Promise<void> {
    await this.watch();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.rewatchTimer);
    this.request?.abort();
    await Promise.all(this.inHand.values());
  }

  private async watch(): Promise<void> {
    const { namespace, kubeConfig, logger } = this.options;
    const path = namespace ? `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/workflows` : '/apis/argoproj.io/v1alpha1/workflows';
    // No resourceVersion: the watch opens with an ADDED for every object, so each (re)start resyncs all.
    this.request = await new Watch(kubeConfig).watch(
      path,
      {},
      (type: string, object: WorkflowObject) => this.enqueue(type, object),
      (error: unknown) => {
        if (this.closed) return;
        if (error) logger.warn({ reason: (error as Error).message }, 'the Workflow watch ended; watching again');
        this.rewatchTimer = setTimeout(() => void this.watch().catch((failed: Error) => logger.warn({ reason: failed.message }, 'cannot watch Workflow objects')), this.options.rewatchMs ?? 1000);
      },
    );
  }

  private enqueue(type: string, object: WorkflowObject): void {
    const uid = object.metadata?.uid;
    if (!uid) return;
    const previous = this.inHand.get(uid) ?? Promise.resolve();
    const next = previous
      .then(() => (type === 'DELETED' ? this.deleted(object) : type === 'ADDED' || type === 'MODIFIED' ? this.seen(object) : undefined))
      .catch((error: Error) => this.options.logger.warn({ namespace: object.metadata.namespace, name: object.metadata.name, reason: error.message }, 'could not bridge the Workflow object'))
      .finally(() => {
        if (this.inHand.get(uid) === next) this.inHand.delete(uid);
      });
    this.inHand.set(uid, next);
  }

  /** A new object is submitted; one submitted already (by uid) is followed until it ends. */
  private async seen(object: WorkflowObject): Promise<void> {
    const { namespace, name, uid } = object.metadata;
    const ref: WorkflowObjectRef = { namespace, name, uid };
    const { statusWriter, store, logger } = this.options;
    if (statusWriter.isFollowing(uid) || workflowEnded(object.status?.phase ?? '')) return;
    if (!(await store.load(uid))) {
      const refusal = await this.submit(object);
      if (refusal !== undefined) {
        logger.info({ namespace, name, refusal }, 'Workflow object refused');
        await statusWriter.write(ref, { phase: 'Error', message: refusal, startedAt: argoTime(), finishedAt: argoTime() });
        return;
      }
      logger.info({ namespace, name, uid }, 'Workflow object submitted');
    }
    await statusWriter.follow(ref);
  }

  /** Submits the object's spec under its uid; the refusal's message when Regatta refuses it. */
  private async submit(object: WorkflowObject): Promise<string | undefined> {
    const { name, namespace, uid, labels, annotations } = object.metadata;
    const text = JSON.stringify({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name, namespace, ...(labels && { labels }), ...(annotations && { annotations }) }, spec: object.spec });
    try {
      const workflow = prepareWorkflow(text, `workflows/${namespace}/${name}`, { namespace, uid, shards: this.options.shards });
      await this.options.client.createWorkflow(workflow);
      return undefined;
    } catch (error) {
      // Another bridge (a rollout's overlap) submitted it first: the same workflow, not a namesake.
      if (error instanceof StoreError && error.code === 'EXISTS' && (await this.options.store.load(uid))) return undefined;
      // Spec issues, a missing WorkflowTemplate, a name Regatta already has: the user's to fix.
      if (isRefusal(error)) return (error as Error).message;
      throw error;
    }
  }

  private async deleted(object: WorkflowObject): Promise<void> {
    const { namespace, name, uid } = object.metadata;
    await this.options.statusWriter.unfollow(uid);
    if (await this.options.store.load(uid)) await this.options.client.deleteWorkflow(namespace, name);
  }
}

/** Errors that say what is wrong with the workflow, as opposed to Redis or the network failing. */
function isRefusal(error: unknown): boolean {
  return error instanceof SpecError || error instanceof ClientError || (error instanceof StoreError && error.code === 'EXISTS');
}

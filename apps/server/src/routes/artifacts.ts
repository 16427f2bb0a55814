// Argo Server's artifact downloads (its artifact server, outside /api/v1): a node's output or input
// artifact of a live workflow by name (`/artifacts/…`, `/input-artifacts/…`) or of any workflow by uid,
// the archive's too (`/artifacts-by-uid/…`, `/input-artifacts-by-uid/…`), streamed from its store as
// stored (an archived artifact stays a .tgz/.zip, as Argo serves it). The workflow's namespace is what
// the caller must be allowed to get in; a store's credentials are read there too.
import { basename } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ArtifactNotFoundError, type ArtifactStore } from '@regatta/artifacts';
import type { Artifact, Workflow } from '@regatta/spec';
import { HttpError, notFound } from '../http-error.js';
import { GrpcCode } from '../http-error.js';
import { decode } from '../request.js';
import type { ServerResources } from '../resources.js';

const byName = z.strictObject({ namespace: z.string().min(1), name: z.string().min(1), nodeId: z.string().min(1), artifactName: z.string().min(1) });
const byUid = z.strictObject({ uid: z.string().min(1), nodeId: z.string().min(1), artifactName: z.string().min(1) });

type Direction = 'outputs' | 'inputs';

/** The node's artifact by name, or 404 naming what is missing. */
function artifactOf(workflow: Workflow, nodeId: string, name: string, direction: Direction): Artifact {
  const node = workflow.status?.nodes?.[nodeId];
  if (!node) throw notFound(`workflow "${workflow.metadata.name}" has no node "${nodeId}"`);
  const artifact = node[direction]?.artifacts?.find((candidate) => candidate.name === name);
  if (!artifact) throw notFound(`node "${nodeId}" has no ${direction === 'outputs' ? 'output' : 'input'} artifact "${name}"`);
  if (artifact.deleted === true) throw notFound(`artifact "${name}" of node "${nodeId}" was deleted by its artifactGC`);
  return artifact;
}

/** What the download is called: the stored object's name (`<name>.tgz`, or the file's own). */
function fileName(artifact: Artifact): string {
  const stored = [artifact.key, artifact.s3?.key, artifact.gcs?.key, artifact.azure?.blob, artifact.http?.url, artifact.artifactory?.url].find((key) => typeof key === 'string');
  return basename(stored ?? artifact.name) || artifact.name;
}

async function send(reply: FastifyReply, artifacts: ArtifactStore, artifact: Artifact, namespace: string): Promise<FastifyReply> {
  if (artifact.raw !== undefined) return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${artifact.name}"`).send(artifact.raw.data);
  try {
    const stream = await artifacts.openStream(artifact, namespace);
    return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${fileName(artifact).replaceAll('"', '')}"`).send(stream);
  } catch (error) {
    if (error instanceof ArtifactNotFoundError) throw notFound(error.message);
    // The store's one-line message names the store and key, never a credential.
    throw new HttpError(502, GrpcCode.Unavailable, `artifact "${artifact.name}": ${(error as Error).message}`);
  }
}

export async function artifactRoutes(app: FastifyInstance, resources: ServerResources): Promise<void> {
  const { client, artifacts } = resources;

  /** A live workflow by uid, else an archived one. */
  async function workflowByUid(uid: string): Promise<Workflow> {
    const live = await resources.workflowStore.load(uid);
    if (live) return live.workflow;
    const archived = await resources.archive?.get(uid);
    if (archived) return archived;
    throw notFound(`no workflow with uid ${uid}, live or archived`);
  }

  for (const direction of ['outputs', 'inputs'] as const) {
    const prefix = direction === 'outputs' ? 'artifacts' : 'input-artifacts';
    app.get(`/${prefix}/:namespace/:name/:nodeId/:artifactName`, async (request, reply) => {
      const { namespace, name, nodeId, artifactName } = decode(byName, request.params, 'path');
      await request.authorize(namespace, 'get');
      const workflow = await client.getWorkflow(namespace, name);
      return send(reply, artifacts, artifactOf(workflow, nodeId, artifactName, direction), namespace);
    });
    app.get(`/${prefix}-by-uid/:uid/:nodeId/:artifactName`, async (request, reply) => {
      const { uid, nodeId, artifactName } = decode(byUid, request.params, 'path');
      const workflow = await workflowByUid(uid);
      const namespace = workflow.metadata.namespace ?? 'default';
      await request.authorize(namespace, 'get');
      return send(reply, artifacts, artifactOf(workflow, nodeId, artifactName, direction), namespace);
    });
  }
}

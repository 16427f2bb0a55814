// Argo's workflow logs, `GET /api/v1/workflows/{namespace}/{name}/log` (and the older
// `…/{name}/{podName}/log`), as a stream of `{"content": "...", "podName": "..."}` results (plus
// the node's id, display name and the line's time, RFC 3339):
// `podName` (a pod name or node id) for one node, `logOptions.follow` until the workflow ends,
// `logOptions.tailLines` (the last lines of each pod before following), `logOptions.sinceSeconds` /
// `logOptions.sinceTime`, `logOptions.timestamps`, and `grep` (an RE2 pattern, as Argo's).
import type { FastifyInstance } from 'fastify';
import { RE2JS } from 're2js';
import { z } from 'zod';
import type { LogEntry } from '@regatta/client';
import { badRequest, notFound } from '../http-error.js';
import { decode, namespaceParam } from '../request.js';
import type { ServerResources } from '../resources.js';
import type { Streaming } from '../streaming.js';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const logQuery = z.looseObject({
  podName: z.string().optional(),
  'logOptions.container': z.enum(['main']).optional(),
  'logOptions.follow': flag.optional(),
  'logOptions.tailLines': z.coerce.number().int().nonnegative().optional(),
  'logOptions.sinceSeconds': z.coerce.number().int().nonnegative().optional(),
  'logOptions.sinceTime.seconds': z.coerce.number().int().optional(),
  'logOptions.timestamps': flag.optional(),
  grep: z.string().optional(),
});

/** The node a pod name stands for: Argo's pod names and node ids of one workflow end in the same hash of the node's name. */
function nodeOfPod(workflowName: string, podName: string): string {
  if (podName === workflowName) return podName;
  const hash = /-(\d+)$/.exec(podName)?.[1];
  if (!hash) throw badRequest(`query.podName: "${podName}" is not a pod name or node id of workflow "${workflowName}"`);
  return `${workflowName}-${hash}`;
}

function grepOf(pattern: string | undefined): ((line: string) => boolean) | undefined {
  if (!pattern) return undefined;
  try {
    const compiled = RE2JS.compile(pattern);
    return (line) => compiled.matcher(line).find();
  } catch (error) {
    throw badRequest(`query.grep: ${(error as Error).message}`);
  }
}

/** The last `count` lines of each pod, in their order. */
function tailPerPod(entries: LogEntry[], count: number): LogEntry[] {
  const seen = new Map<string, number>();
  const kept: LogEntry[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    const n = seen.get(entry.podName) ?? 0;
    if (n >= count) continue;
    seen.set(entry.podName, n + 1);
    kept.push(entry);
  }
  return kept.reverse();
}

export async function workflowLogRoutes(app: FastifyInstance, resources: ServerResources, streaming: Streaming): Promise<void> {
  const handler = (path: string) =>
    app.get(path, async (request, reply) => {
      const params = decode(z.strictObject({ namespace: namespaceParam, name: z.string().min(1), podName: z.string().min(1).optional() }), request.params, 'path');
      const { namespace, name } = params;
      await request.authorize(namespace, 'get');
      const query = decode(logQuery, request.query, 'query');
      const grep = grepOf(query.grep);
      const podName = params.podName ?? query.podName;
      const nodeId = podName ? nodeOfPod(name, podName) : undefined;
      const sinceSeconds = query['logOptions.sinceSeconds'];
      const sinceTime = query['logOptions.sinceTime.seconds'];
      const since = sinceSeconds !== undefined ? Date.now() - sinceSeconds * 1000 : sinceTime !== undefined ? sinceTime * 1000 : undefined;
      const tail = query['logOptions.tailLines'];
      // 404 before the stream opens; the uid only (a 10,000-node workflow is not read to learn it exists).
      const uid = await resources.workflowStore.uidOf(namespace, name);
      if (!uid) throw notFound(`workflow "${name}" not found in namespace "${namespace}"`);

      const stream = streaming.open(request, reply);
      const send = (entry: LogEntry) => {
        const content = query['logOptions.timestamps'] ? `${entry.time} ${entry.content}` : entry.content;
        // Argo's two fields, then Regatta's (Argo's clients ignore them; HttpWorkflowClient reads them).
        stream.send({ content, podName: entry.podName, nodeId: entry.nodeId, displayName: entry.displayName, time: entry.time });
      };
      let backlog: LogEntry[] | undefined = tail !== undefined ? [] : undefined;
      const flush = () => {
        if (backlog) tailPerPod(backlog, tail!).forEach(send);
        backlog = undefined;
      };
      try {
        await resources.client.workflowLogs(
          namespace,
          name,
          (entry) => {
            if (stream.closed) throw new StreamClosed();
            if ((since !== undefined && Date.parse(entry.time) < since) || (grep && !grep(entry.content))) return;
            if (backlog) backlog.push(entry);
            else send(entry);
          },
          { ...(nodeId && { nodeId }), uid, follow: query['logOptions.follow'] === true, onCaughtUp: flush, signal: stream.signal },
        );
        flush();
      } catch (error) {
        if (!(error instanceof StreamClosed)) request.log.warn({ err: error }, 'workflow log stream failed');
      } finally {
        stream.end();
      }
    });
  handler('/api/v1/workflows/:namespace/:name/log');
  handler('/api/v1/workflows/:namespace/:name/:podName/log');
}

/** Thrown from the entry callback to stop reading once the client has gone. */
class StreamClosed extends Error {}

// Argo's controls on a workflow: `suspend`, `resume`, `stop`, `terminate`, `node set`, `retry` and
// `resubmit`. Each control is an event on the workflow's shard stream, applied by its scheduler in
// order with the workflow's other events, so it never races the engine.
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ShardStreams } from '@regatta/queue';
import { argoTime, freeNodeId, workflowEnded, type NodeStatus, type Workflow } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { requireUid, withConnection, type Connection } from '../connection.js';
import { randomSuffix, submitWorkflow } from '../submit.js';

type Control =
  | { action: 'stop' | 'terminate' | 'suspend' | 'retry' }
  | { action: 'resume'; nodeFieldSelector?: string }
  | { action: 'setNode'; nodeFieldSelector: string; phase?: 'Succeeded' | 'Failed' | 'Error'; message?: string; outputParameters?: Record<string, string> };

async function sendControl(connection: Connection, namespace: string, name: string, control: Control): Promise<void> {
  const uid = await requireUid(connection, namespace, name);
  const stored = await connection.store.phaseAndShard(uid);
  if (!stored) throw new Error(`workflow "${name}" not found in namespace "${namespace}"`);
  const { phase } = stored;
  if (control.action === 'retry' ? phase !== 'Failed' && phase !== 'Error' : workflowEnded(phase)) {
    throw new Error(control.action === 'retry' ? `workflow "${name}" is ${phase || 'Pending'}: only a Failed or Error workflow can be retried` : `workflow "${name}" has already ended (${phase})`);
  }
  const streams = new ShardStreams(connection.redis, (shard) => connection.keys.shard(shard).events);
  await streams.append(stored.shard, uid, { type: 'control', control });
}

/** `--output-parameter name=value`, repeatable. */
function collectParameter(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new Error(`--output-parameter expects name=value, got "${value}"`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

export function registerControl(program: Command, config: CliConfig): void {
  const simple = (verb: 'suspend' | 'terminate' | 'retry', past: string, description: string) =>
    program
      .command(`${verb} <name>`)
      .description(description)
      .option('-n, --namespace <namespace>', 'namespace', 'default')
      .action((name: string, flags: { namespace: string }) =>
        withConnection(config.redisUrl, config.prefix, async (connection) => {
          await sendControl(connection, flags.namespace, name, { action: verb });
          process.stdout.write(`workflow ${name} ${past}\n`);
        }),
      );
  simple('suspend', 'suspended', 'suspend a workflow: running nodes go on, no new ones start until resume');
  simple('terminate', 'terminated', 'terminate a workflow: stop its nodes without running exit handlers');
  simple('retry', 'retried', 'run a Failed or Error workflow again: its failed nodes run again, succeeded ones are kept');

  program
    .command('stop <name>')
    .description('stop a workflow: stop its nodes, then run its exit handlers')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node-field-selector <selector>', 'instead, fail the matching suspend node (e.g. displayName=approve)')
    .option('--message <message>', 'message for the failed node')
    .action((name: string, flags: { namespace: string; nodeFieldSelector?: string; message?: string }) =>
      withConnection(config.redisUrl, config.prefix, async (connection) => {
        const control: Control = flags.nodeFieldSelector
          ? { action: 'setNode', nodeFieldSelector: flags.nodeFieldSelector, phase: 'Failed', message: flags.message }
          : { action: 'stop' };
        await sendControl(connection, flags.namespace, name, control);
        process.stdout.write(`workflow ${name} stopped\n`);
      }),
    );

  program
    .command('resume <name>')
    .description('resume a suspended workflow, or its suspend nodes')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node-field-selector <selector>', 'resume only the matching suspend nodes')
    .action((name: string, flags: { namespace: string; nodeFieldSelector?: string }) =>
      withConnection(config.redisUrl, config.prefix, async (connection) => {
        await sendControl(connection, flags.namespace, name, { action: 'resume', nodeFieldSelector: flags.nodeFieldSelector });
        process.stdout.write(`workflow ${name} resumed\n`);
      }),
    );

  program
    .command('node')
    .description('change a node of a running workflow')
    .command('set <name>')
    .description("set a node's outputs, phase or message (e.g. a suspend node's supplied parameters)")
    .requiredOption('--node-field-selector <selector>', 'which nodes, e.g. displayName=approve')
    .option('--output-parameter <name=value>', 'an output parameter to supply (repeatable)', collectParameter)
    .option('--phase <phase>', 'Succeeded, Failed or Error')
    .option('--message <message>', 'node message')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action(
      (name: string, flags: { namespace: string; nodeFieldSelector: string; outputParameter?: Record<string, string>; phase?: string; message?: string }) =>
        withConnection(config.redisUrl, config.prefix, async (connection) => {
          if (flags.phase !== undefined && !['Succeeded', 'Failed', 'Error'].includes(flags.phase)) {
            throw new Error(`--phase must be Succeeded, Failed or Error, got "${flags.phase}"`);
          }
          await sendControl(connection, flags.namespace, name, {
            action: 'setNode',
            nodeFieldSelector: flags.nodeFieldSelector,
            ...(flags.phase && { phase: flags.phase as 'Succeeded' | 'Failed' | 'Error' }),
            ...(flags.message !== undefined && { message: flags.message }),
            ...(flags.outputParameter && { outputParameters: flags.outputParameter }),
          });
          process.stdout.write('workflow values set\n');
        }),
    );

  program
    .command('resubmit <name>')
    .description('submit a new workflow from the spec of an earlier one')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--memoized', 'keep the nodes that succeeded (only for a Failed or Error workflow)')
    .action((name: string, flags: { namespace: string; memoized?: boolean }) =>
      withConnection(config.redisUrl, config.prefix, async (connection) => {
        const stored = await connection.store.load(await requireUid(connection, flags.namespace, name));
        if (!stored) throw new Error(`workflow "${name}" not found in namespace "${flags.namespace}"`);
        const { phase } = stored.workflow.status;
        if (flags.memoized && phase !== 'Failed' && phase !== 'Error') {
          throw new Error(`workflow "${name}" is ${phase || 'Pending'}: --memoized needs a Failed or Error workflow`);
        }
        const copy = resubmitted(stored.workflow, flags.memoized === true);
        await submitWorkflow(connection.redis, config.prefix, copy, config.shards);
        process.stdout.write(`Name: ${copy.metadata.name}\n`);
      }),
    );
}

/**
 * Argo's resubmit: the same spec under a new name, labelled with where it came from; `memoized` also
 * carries over the nodes that succeeded (renamed under the new workflow), which the new run passes over.
 */
function resubmitted(original: Workflow, memoized: boolean): Workflow {
  const { shutdown: _shutdown, suspend: _suspend, ...spec } = structuredClone(original.spec);
  const { storedTemplates } = original.status ?? {};
  const name = `${original.metadata.name}-${randomSuffix()}`;
  const nodes = memoized ? succeededNodes(original, name) : undefined;
  return {
    apiVersion: original.apiVersion,
    kind: 'Workflow',
    metadata: {
      name,
      namespace: original.metadata.namespace,
      uid: randomUUID(),
      creationTimestamp: argoTime(),
      labels: { ...original.metadata.labels, 'workflows.argoproj.io/resubmitted-from-workflow': original.metadata.name ?? '' },
      ...(original.metadata.annotations && { annotations: original.metadata.annotations }),
    },
    spec,
    status: { phase: '', ...(storedTemplates && { storedTemplates }), ...(nodes && { nodes }) },
  };
}

/** The nodes that succeeded or were skipped, renamed (and so re-identified) under `name`. */
function succeededNodes(original: Workflow, name: string): Record<string, NodeStatus> {
  const old = original.metadata.name ?? '';
  const all = Object.values(original.status?.nodes ?? {});
  const holders = new Map<string, string>();
  const newIds = new Map(
    all.map((n) => {
      const renamed = name + n.name.slice(old.length);
      const id = freeNodeId(name, renamed, (taken) => holders.get(taken));
      holders.set(id, renamed);
      return [n.id, id];
    }),
  );
  const kept = all.filter((n) => n.phase === 'Succeeded' || n.phase === 'Skipped');
  const keptIds = new Set(kept.map((n) => n.id));
  const nodes: Record<string, NodeStatus> = {};
  for (const node of kept) {
    const id = newIds.get(node.id)!;
    const renamed: NodeStatus = { ...node, id, name: name + node.name.slice(old.length) };
    if (node.displayName === old) renamed.displayName = name;
    if (node.boundaryID !== undefined) renamed.boundaryID = newIds.get(node.boundaryID) ?? node.boundaryID;
    if (node.children) renamed.children = node.children.filter((child) => keptIds.has(child)).map((child) => newIds.get(child)!);
    if (node.outboundNodes) renamed.outboundNodes = node.outboundNodes.map((child) => newIds.get(child) ?? child);
    nodes[id] = renamed;
  }
  return nodes;
}


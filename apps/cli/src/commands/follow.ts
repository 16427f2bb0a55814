// `regatta watch` (the `get` view, again as the workflow changes, until it ends) and `regatta wait`
// (blocks until workflows end and prints how each ended); `submit --wait` prints the same lines.
import type { Command } from 'commander';
import { ClientError, type WorkflowClient } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import { withClient } from '../connection.js';
import { formatWorkflow, LiveView } from '../output.js';
import { resolveName } from '../latest.js';

/** Go's `%v` of a metav1.Time, as Argo prints it: `2026-01-02 15:04:05 +0000 UTC`. */
function goTime(iso: string | undefined): string {
  if (!iso) return '0001-01-01 00:00:00 +0000 UTC';
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** Argo's `argo wait` line: `<name> <Phase> at <finishedAt>`. */
export const waitLine = (workflow: Workflow): string => `${workflow.metadata.name} ${workflow.status?.phase ?? ''} at ${goTime(workflow.status?.finishedAt)}\n`;

/** Resolves with the workflow once it has ended. */
export const waitForEnd = (client: WorkflowClient, namespace: string, name: string, uid?: string): Promise<Workflow> =>
  client.watchWorkflow(namespace, name, () => {}, { uid });

export function registerFollow(program: Command, config: CliConfig): void {
  program
    .command('watch <name>')
    .description(summaryOf('watch'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action((name: string, flags: { namespace: string }) =>
      withClient(config, async (client) => {
        const view = new LiveView();
        const color = view.interactive && !process.env.NO_COLOR;
        const final = await client.watchWorkflow(flags.namespace, await resolveName(client, flags.namespace, name), (workflow) => view.draw(formatWorkflow(workflow, 'table', color)));
        view.final(formatWorkflow(final, 'table', color));
      }),
    );

  program
    .command('wait <names...>')
    .description(summaryOf('wait'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--ignore-not-found', 'pass over workflows that do not exist')
    .action((names: string[], flags: { namespace: string; ignoreNotFound?: boolean }) =>
      withClient(config, async (client) => {
        const ended = await Promise.all(
          names.map((name) =>
            resolveName(client, flags.namespace, name).then((resolved) => waitForEnd(client, flags.namespace, resolved)).then(
              (workflow) => {
                // Each as it ends, as Argo prints them.
                process.stdout.write(waitLine(workflow));
                return workflow;
              },
              (error: unknown) => {
                if (flags.ignoreNotFound && error instanceof ClientError && error.code === 'NotFound') return undefined;
                throw error;
              },
            ),
          ),
        );
        if (ended.some((workflow) => workflow && workflow.status?.phase !== 'Succeeded')) process.exitCode = 1;
      }),
    );
}

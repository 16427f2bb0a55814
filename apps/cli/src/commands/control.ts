// Argo's controls on a workflow: `suspend`, `resume`, `stop`, `terminate`, `node set`, `retry` and
// `resubmit`, as the client carries them out.
import type { Command } from 'commander';
import { summaryOf } from '../summaries.js';
import type { CliConfig } from '../config.js';
import type { WorkflowClient } from '@regatta/client';
import { withClient } from '../connection.js';
import { resolveName } from '../latest.js';

/** `--output-parameter name=value`, repeatable. */
function collectParameter(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new Error(`--output-parameter expects name=value, got "${value}"`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

export function registerControl(program: Command, config: CliConfig): void {
  /** As Argo's controls: several names, `@latest` among them, each in turn; the first refusal stops the rest. */
  const eachNamed = (names: string[], namespace: string, act: (client: WorkflowClient, name: string) => Promise<void>) =>
    withClient(config, async (client) => {
      for (const given of names) await act(client, await resolveName(client, namespace, given));
    });
  const simple = (verb: 'suspend' | 'terminate' | 'retry', past: string) =>
    program
      .command(`${verb} <names...>`)
      .description(summaryOf(verb))
      .option('-n, --namespace <namespace>', 'namespace', 'default')
      .action((names: string[], flags: { namespace: string }) =>
        eachNamed(names, flags.namespace, async (client, name) => {
          await client[`${verb}Workflow`](flags.namespace, name);
          process.stdout.write(`workflow ${name} ${past}\n`);
        }),
      );
  simple('suspend', 'suspended');
  simple('terminate', 'terminated');
  simple('retry', 'retried');

  program
    .command('stop <names...>')
    .description(summaryOf('stop'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node-field-selector <selector>', 'instead, fail the matching suspend node (e.g. displayName=approve)')
    .option('--message <message>', 'message for the failed node')
    .action((names: string[], flags: { namespace: string; nodeFieldSelector?: string; message?: string }) =>
      eachNamed(names, flags.namespace, async (client, name) => {
        await client.stopWorkflow(flags.namespace, name, { nodeFieldSelector: flags.nodeFieldSelector, message: flags.message });
        process.stdout.write(`workflow ${name} stopped\n`);
      }),
    );

  program
    .command('resume <names...>')
    .description(summaryOf('resume'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--node-field-selector <selector>', 'resume only the matching suspend nodes')
    .action((names: string[], flags: { namespace: string; nodeFieldSelector?: string }) =>
      eachNamed(names, flags.namespace, async (client, name) => {
        await client.resumeWorkflow(flags.namespace, name, { nodeFieldSelector: flags.nodeFieldSelector });
        process.stdout.write(`workflow ${name} resumed\n`);
      }),
    );

  program
    .command('node')
    .description(summaryOf('node'))
    .command('set <name>')
    .description("set a node's outputs, phase or message (e.g. a suspend node's supplied parameters)")
    .requiredOption('--node-field-selector <selector>', 'which nodes, e.g. displayName=approve')
    .option('--output-parameter <name=value>', 'an output parameter to supply (repeatable)', collectParameter)
    .option('--phase <phase>', 'Succeeded, Failed or Error')
    .option('--message <message>', 'node message')
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .action(
      (name: string, flags: { namespace: string; nodeFieldSelector: string; outputParameter?: Record<string, string>; phase?: string; message?: string }) =>
        withClient(config, async (client) => {
          if (flags.phase !== undefined && !['Succeeded', 'Failed', 'Error'].includes(flags.phase)) {
            throw new Error(`--phase must be Succeeded, Failed or Error, got "${flags.phase}"`);
          }
          await client.setWorkflow(flags.namespace, await resolveName(client, flags.namespace, name), {
            nodeFieldSelector: flags.nodeFieldSelector,
            ...(flags.phase && { phase: flags.phase as 'Succeeded' | 'Failed' | 'Error' }),
            ...(flags.message !== undefined && { message: flags.message }),
            ...(flags.outputParameter && { outputParameters: flags.outputParameter }),
          });
          process.stdout.write('workflow values set\n');
        }),
    );

  program
    .command('resubmit <names...>')
    .description(summaryOf('resubmit'))
    .option('-n, --namespace <namespace>', 'namespace', 'default')
    .option('--memoized', 'keep the nodes that succeeded (only for a Failed or Error workflow)')
    .action((names: string[], flags: { namespace: string; memoized?: boolean }) =>
      eachNamed(names, flags.namespace, async (client, name) => {
        const copy = await client.resubmitWorkflow(flags.namespace, name, { memoized: flags.memoized === true });
        process.stdout.write(`Name: ${copy.metadata.name}\n`);
      }),
    );
}

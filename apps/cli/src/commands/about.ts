// `regatta version` and `regatta completion`: about the CLI itself, no connection.
import type { Command } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import { summaryOf } from '../summaries.js';
import { versionLine, versionReport } from '../version.js';

/** `program` is the root: for `completion`, main.ts has registered every command on it. */
export function registerAbout(program: Command): void {
  program
    .command('version')
    .description(summaryOf('version'))
    .option('--short', 'the version alone')
    .action((flags: { short?: boolean }) => void process.stdout.write(flags.short ? `${versionLine()}\n` : versionReport()));

  program
    .command('completion <shell>')
    .description(summaryOf('completion'))
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new Error(`completion: unknown shell "${shell}": use bash, zsh or fish`);
      process.stdout.write(completionScript(shell as Shell, program));
    });
}

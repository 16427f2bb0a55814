// `regatta version` and `regatta completion`: about the CLI itself, no connection.
import { Command } from 'commander';
import { allModules, summaryOf } from '../catalog.js';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import type { CliConfig } from '../config.js';
import { versionLine, versionReport } from '../version.js';

export function registerAbout(program: Command, config: CliConfig): void {
  program
    .command('version')
    .description(summaryOf('version'))
    .option('--short', 'the version alone')
    .action((flags: { short?: boolean }) => void process.stdout.write(flags.short ? `${versionLine()}\n` : versionReport()));

  program
    .command('completion <shell>')
    .description(summaryOf('completion'))
    .action(async (shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new Error(`completion: unknown shell "${shell}": use bash, zsh or fish`);
      // The whole tree, which `regatta` itself never loads at once.
      const tree = new Command('regatta').version(versionLine(), '--version');
      for (const load of allModules()) (await load())(tree, config);
      process.stdout.write(completionScript(shell as Shell, tree));
    });
}

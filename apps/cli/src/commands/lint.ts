// `regatta lint FILE…`: the checks `submit` makes, without storing anything.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SpecError } from '@regatta/spec';
import type { CliConfig } from '../config.js';
import { prepareWorkflow } from '../submit.js';

export function registerLint(program: Command, config: CliConfig): void {
  program
    .command('lint <files...>')
    .description('validate workflow files')
    .action((files: string[]) => {
      let failed = 0;
      for (const file of files) {
        try {
          prepareWorkflow(readFileSync(file, 'utf8'), file, { shards: config.shards });
          process.stdout.write(`${file}: no linting errors found\n`);
        } catch (error) {
          failed++;
          process.stderr.write(`${error instanceof SpecError ? error.message : `${file}: ${(error as Error).message}`}\n`);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });
}

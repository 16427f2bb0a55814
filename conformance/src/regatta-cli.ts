// Runs `regatta` as a user would, as child processes under the run's Redis prefix: the scheduler and
// worker, and the commands that store templates and ConfigMaps (only the CLI offers those).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../apps/cli/bin/regatta.js', import.meta.url));
/** Longer than any submission or apply takes; a hung command is stopped rather than stalling the run. */
const COMMAND_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class RegattaCli {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The command line for `regatta <args>`, for the long-running services. */
  static command(args: string[]): [string, string[]] {
    return [process.execPath, [CLI, ...args]];
  }

  run(args: string[], cwd: string): Promise<CliResult> {
    const [command, argv] = RegattaCli.command(args);
    return new Promise((resolve, reject) => {
      const child = spawn(command, argv, { cwd, env: this.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (signal) stderr += `\nregatta ${args.slice(0, 2).join(' ')} was stopped by ${signal}`;
        resolve({ code: code ?? 1, stdout, stderr });
      });
    });
  }
}

// Argo's Git artifact: a repository checked out as an input (never an output). It runs the `git` CLI by
// execFile, never a shell. Credentials never appear in argv or the URL, where `ps` would show them:
// user and password reach git through a GIT_ASKPASS script that reads them from the environment, an SSH
// key through a 0600 file named in GIT_SSH_COMMAND; both live in a private temporary folder removed after.
// Git never prompts (GIT_TERMINAL_PROMPT=0, ssh BatchMode), so a missing credential fails instead of hanging.
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Artifact, GitLocation } from '@regatta/spec';
import type { ArtifactDriver, DriverContext, DriverFactory } from './driver.js';
import { urlForMessages } from './url-for-messages.js';

const run = promisify(execFile);
/** Git's output can be long (a clone's progress, many refs); beyond this it is cut, not an error. */
const MAX_OUTPUT = 16 * 1024 * 1024;

const ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  Username*) printf '%s\\n' "$REGATTA_GIT_USERNAME" ;;
  *) printf '%s\\n' "$REGATTA_GIT_PASSWORD" ;;
esac
`;

export const gitDriver: DriverFactory = (context) => new GitDriver(context);

class GitDriver implements ArtifactDriver {
  constructor(private readonly context: DriverContext) {}

  describe(artifact: Artifact): string {
    const { repo, revision } = artifact.git ?? {};
    return `git repository ${repo ? urlForMessages(repo) : '(none)'}${revision ? ` at revision ${revision}` : ''}`;
  }

  async load(artifact: Artifact, destination: string): Promise<void> {
    const location = gitLocation(artifact);
    // A destination already there is the caller's; only one this load made is removed when it fails.
    const existed = await stat(destination).then(
      () => true,
      () => false,
    );
    const access = await mkdtemp(join(tmpdir(), 'regatta-git-'));
    try {
      const env = await this.environment(location, access);
      const git = async (args: string[], cwd?: string) => {
        try {
          await run('git', args, { cwd, env, maxBuffer: MAX_OUTPUT });
        } catch (error) {
          throw new Error(`${this.describe(artifact)}: ${gitFailure(error, location.repo)}`);
        }
      };
      await git(['clone', '--quiet', ...cloneOptions(location), '--', location.repo, destination]);
      const depth = location.depth ? [`--depth=${location.depth}`] : [];
      if (location.fetch?.length) await git(['fetch', '--quiet', ...depth, 'origin', ...location.fetch], destination);
      if (location.revision) await this.checkout(location.revision, depth, (args) => git(args, destination));
      if (!location.disableSubmodules) await git(['submodule', '--quiet', 'update', '--init', '--recursive', ...depth], destination);
    } catch (error) {
      if (!existed) await rm(destination, { recursive: true, force: true });
      throw error;
    } finally {
      await rm(access, { recursive: true, force: true });
    }
  }

  /** The revision as the clone knows it (a branch, tag or commit); else fetched by name (a tag or commit beyond a shallow clone's depth). */
  private async checkout(revision: string, depth: string[], git: (args: string[]) => Promise<void>): Promise<void> {
    try {
      await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', revision]);
    } catch {
      await git(['fetch', '--quiet', ...depth, 'origin', revision]);
      await git(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', 'FETCH_HEAD']);
    }
  }

  /** The environment of every git command: the worker's, less its own git settings, with the credentials' helpers. */
  private async environment(location: GitLocation, access: string): Promise<NodeJS.ProcessEnv> {
    const secret = (selector: GitLocation['usernameSecret']) => (selector ? this.context.secrets.secretValue(this.context.namespace, selector) : Promise.resolve(undefined));
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_') && name !== 'SSH_ASKPASS'));
    env.GIT_TERMINAL_PROMPT = '0';
    if (location.insecureSkipTLS) env.GIT_SSL_NO_VERIFY = 'true';
    const key = await secret(location.sshPrivateKeySecret);
    let keyFile: string | undefined;
    if (key !== undefined) {
      keyFile = join(access, 'id');
      // OpenSSH rejects a key file whose last line has no newline, which a Secret's value often lacks.
      await writeFile(keyFile, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
    }
    env.GIT_SSH_COMMAND = sshCommand(keyFile, location.insecureIgnoreHostKey ?? false);
    const [username, password] = await Promise.all([secret(location.usernameSecret), secret(location.passwordSecret)]);
    if (username !== undefined || password !== undefined) {
      const askpass = join(access, 'askpass.sh');
      await writeFile(askpass, ASKPASS_SCRIPT, { mode: 0o700 });
      await chmod(askpass, 0o700);
      Object.assign(env, { GIT_ASKPASS: askpass, REGATTA_GIT_USERNAME: username ?? '', REGATTA_GIT_PASSWORD: password ?? '' });
    }
    return env;
  }

  save(_source: string, artifact: Artifact): Promise<void> {
    return this.refuse(artifact, 'saved to (git artifacts are inputs only)');
  }

  openStream(artifact: Artifact): Promise<never> {
    return this.refuse(artifact, 'read as one stream (it is a checkout, a folder)');
  }

  list(artifact: Artifact): Promise<never> {
    return this.refuse(artifact, 'listed');
  }

  delete(artifact: Artifact): Promise<void> {
    return this.refuse(artifact, 'deleted (git artifacts are inputs only)');
  }

  isDirectory(): Promise<boolean> {
    return Promise.resolve(true);
  }

  private refuse(artifact: Artifact, what: string): Promise<never> {
    return Promise.reject(new Error(`${this.describe(artifact)}: a git artifact cannot be ${what}`));
  }
}

function gitLocation(artifact: Artifact): GitLocation {
  const location = artifact.git;
  if (!location?.repo) throw new Error(`artifact "${artifact.name}" has no git.repo`);
  // Git reads an argument that begins with `-` as an option wherever it stands (`--upload-pack=<command>`
  // would run a command on the worker's host): a revision or refspec never begins so.
  for (const [field, value] of [['revision', location.revision], ...(location.fetch ?? []).map((spec) => ['fetch', spec])]) {
    if (value?.startsWith('-')) throw new Error(`artifact "${artifact.name}": git.${field} "${value}" begins with "-", which git would take for an option`);
  }
  return location;
}

/**
 * `git clone`'s options: `--branch` where one is named; Argo clones every branch unless `singleBranch`,
 * while git's `--depth` implies one branch, so a shallow clone of all branches says so. With a revision,
 * the clone's own checkout would be thrown away: skipped.
 */
export function cloneOptions(location: GitLocation): string[] {
  const options: string[] = [];
  if (location.branch) options.push('--branch', location.branch);
  if (location.depth) options.push(`--depth=${location.depth}`);
  if (location.singleBranch) options.push('--single-branch');
  else if (location.depth) options.push('--no-single-branch');
  if (location.revision) options.push('--no-checkout');
  return options;
}

/** ssh as git runs it: never asking anything, with the key file where one is given, and checking the host key unless told not to. */
export function sshCommand(keyFile: string | undefined, insecureIgnoreHostKey: boolean): string {
  const options = ['ssh', '-o', 'BatchMode=yes'];
  if (keyFile) options.push('-i', `'${keyFile.replaceAll("'", "'\\''")}'`, '-o', 'IdentitiesOnly=yes');
  if (insecureIgnoreHostKey) options.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
  else options.push('-o', 'StrictHostKeyChecking=yes');
  return options.join(' ');
}

/** Git's own words for what failed (its `fatal:` line), with any credentials a URL carried taken out. */
function gitFailure(error: unknown, repo: string): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '');
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const line = lines.find((candidate) => /^(fatal|error):/.test(candidate)) ?? lines.at(-1) ?? (error instanceof Error ? error.message.split('\n')[0]! : String(error));
  return line.replaceAll(repo, urlForMessages(repo)).replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}

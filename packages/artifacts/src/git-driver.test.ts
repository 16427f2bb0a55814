import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Artifact, GitLocation } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { startGitDaemon, startGitHttpServer, type GitServer } from '../../../test/support/git-servers.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { cloneOptions, gitDriver, sshCommand } from './git-driver.js';

const NAMESPACE = 'argo';
let work: string;
/** Bare repositories served over file://, git daemon and HTTP. */
let served: string;
let daemon: GitServer;
let https: GitServer;
const commits: Record<string, string> = {};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' }).trim();
}

async function commit(repo: string, file: string, content: string, message: string): Promise<string> {
  await writeFile(join(repo, file), content);
  git(repo, 'add', file);
  git(repo, 'commit', '--quiet', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

/** A working repository pushed to `<served>/<name>.git`. */
async function publish(name: string, build: (repo: string) => Promise<void>): Promise<void> {
  const repo = join(work, 'sources', name);
  await mkdir(repo, { recursive: true });
  git(repo, 'init', '--quiet');
  await build(repo);
  git(served, 'clone', '--quiet', '--bare', repo, `${name}.git`);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regatta-git-test-'));
  served = join(work, 'served');
  await mkdir(served);
  daemon = await startGitDaemon(served);
  https = await startGitHttpServer(served, { username: 'robot', password: 'hunter2' });
  await publish('project', async (repo) => {
    commits.first = await commit(repo, 'version.txt', '1', 'first');
    git(repo, 'tag', 'v1');
    commits.second = await commit(repo, 'version.txt', '2', 'second');
    git(repo, 'checkout', '--quiet', '-b', 'feature');
    commits.feature = await commit(repo, 'feature.txt', 'feature', 'feature');
    git(repo, 'checkout', '--quiet', 'main');
    commits.third = await commit(repo, 'version.txt', '3', 'third');
  });
  // A ref outside branches and tags, as a pull request's head is on a forge: reached only through `fetch`.
  git(join(served, 'project.git'), 'update-ref', 'refs/pull/1/head', commits.feature!);
  await publish('library', async (repo) => void (await commit(repo, 'lib.txt', 'library code', 'library')));
  await publish('app', async (repo) => {
    git(repo, '-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', `${daemon.url}/library.git`, 'vendor/library');
    await commit(repo, 'app.txt', 'app', 'app with a submodule');
  });
});

afterAll(async () => {
  await daemon?.stop();
  await https?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const secrets = memorySecrets({ [NAMESPACE]: { 'git-creds': { username: 'robot', password: 'hunter2', wrong: 'nope', key: 'not really a key' } } });
const driver = () => gitDriver({ namespace: NAMESPACE, secrets });
const at = (git: GitLocation): Artifact => ({ name: 'source', path: '/src', git });
const fileRepo = (name: string) => `file://${served}/${name}.git`;

async function loaded(location: GitLocation): Promise<string> {
  const destination = join(work, 'checkouts', String(Math.random()).slice(2));
  await driver().load(at(location), destination);
  return destination;
}
const read = (checkout: string, file: string) => readFile(join(checkout, file), 'utf8');
const revParse = (checkout: string, what: string) => git(checkout, 'rev-parse', what);

describe('git driver over file://', () => {
  it('checks out an input artifact written as Argo’s input-artifact-git example writes it', async () => {
    const input = inputArtifact(`
      name: argo-source
      path: /src
      git:
        repo: ${fileRepo('project')}
        revision: "v1"
        depth: 1
    `);
    const destination = join(work, 'checkouts', 'from-yaml');
    await driver().load(input, destination);
    expect(await read(destination, 'version.txt')).toBe('1');
  });

  it('clones the default branch', async () => {
    const checkout = await loaded({ repo: fileRepo('project') });
    expect(await read(checkout, 'version.txt')).toBe('3');
  });

  it('checks out a revision given as a tag, a commit or a branch', async () => {
    expect(await read(await loaded({ repo: fileRepo('project'), revision: 'v1' }), 'version.txt')).toBe('1');
    expect(revParse(await loaded({ repo: fileRepo('project'), revision: commits.second! }), 'HEAD')).toBe(commits.second);
    expect(await read(await loaded({ repo: fileRepo('project'), revision: 'feature' }), 'feature.txt')).toBe('feature');
  });

  it('clones one branch only with singleBranch', async () => {
    const checkout = await loaded({ repo: fileRepo('project'), branch: 'feature', singleBranch: true });
    expect(await read(checkout, 'feature.txt')).toBe('feature');
    expect(git(checkout, 'branch', '-r', '--format=%(refname:short)')).toBe('origin/feature');
  });

  it('clones at a depth, and still reaches a revision beyond it', async () => {
    const shallow = await loaded({ repo: fileRepo('project'), depth: 1 });
    expect(git(shallow, 'rev-list', '--count', 'HEAD')).toBe('1');
    expect(git(shallow, 'branch', '-r', '--format=%(refname:short)').split('\n')).toContain('origin/feature');
    const older = await loaded({ repo: fileRepo('project'), depth: 1, revision: 'v1' });
    expect(await read(older, 'version.txt')).toBe('1');
    expect(git(older, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('fetches extra refspecs, so a revision may name what they brought', async () => {
    const checkout = await loaded({ repo: fileRepo('project'), fetch: ['+refs/pull/*:refs/remotes/origin/pull/*'], revision: 'origin/pull/1/head' });
    expect(revParse(checkout, 'HEAD')).toBe(commits.feature);
  });

  it('names the repository and the revision when either is missing, and leaves no folder behind', async () => {
    const destination = join(work, 'missing');
    await expect(driver().load(at({ repo: fileRepo('project'), revision: 'v9' }), destination)).rejects.toThrow(
      `git repository ${fileRepo('project')} at revision v9: fatal: couldn't find remote ref v9`,
    );
    expect(existsSync(destination)).toBe(false);
    await expect(driver().load(at({ repo: fileRepo('nothing') }), destination)).rejects.toThrow(new RegExp(`^git repository ${fileRepo('nothing')}: fatal: .*nothing\\.git`));
  });

  it('refuses a revision or refspec that git would read as an option, before running git', async () => {
    const marker = join(work, 'ran');
    const upload = `--upload-pack=touch ${marker}`;
    await expect(driver().load(at({ repo: fileRepo('project'), fetch: [upload] }), join(work, 'option'))).rejects.toThrow(`git.fetch "${upload}" begins with "-"`);
    await expect(driver().load(at({ repo: fileRepo('project'), revision: '--orphan=x' }), join(work, 'option'))).rejects.toThrow('git.revision "--orphan=x" begins with "-"');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(work, 'option'))).toBe(false);
  });

  it('refuses to save, delete, stream or list, naming git', async () => {
    const artifact = at({ repo: fileRepo('project') });
    await expect(driver().save(work, artifact)).rejects.toThrow(`git repository ${fileRepo('project')}: a git artifact cannot be saved to`);
    await expect(driver().delete(artifact)).rejects.toThrow('a git artifact cannot be deleted');
    await expect(driver().openStream(artifact)).rejects.toThrow('cannot be read as one stream');
    await expect(driver().list(artifact)).rejects.toThrow('cannot be listed');
    expect(await driver().isDirectory(artifact)).toBe(true);
  });
});

describe('git driver over git daemon', () => {
  it('clones with the submodules, unless disableSubmodules', async () => {
    const withSubmodules = await loaded({ repo: `${daemon.url}/app.git` });
    expect(await read(withSubmodules, 'vendor/library/lib.txt')).toBe('library code');
    const without = await loaded({ repo: `${daemon.url}/app.git`, disableSubmodules: true });
    expect(await readdir(join(without, 'vendor/library'))).toEqual([]);
  });

  it('checks out a revision and its submodules as that revision has them', async () => {
    const checkout = await loaded({ repo: `${daemon.url}/app.git`, revision: 'main', depth: 1 });
    expect(await read(checkout, 'vendor/library/lib.txt')).toBe('library code');
  });
});

describe('git driver with credentials', () => {
  const credentials = { usernameSecret: { name: 'git-creds', key: 'username' }, passwordSecret: { name: 'git-creds', key: 'password' } };

  it('gives user and password from Secrets to an HTTP remote through askpass, never in the URL', async () => {
    const checkout = await loaded({ repo: `${https.url}/project.git`, ...credentials });
    expect(await read(checkout, 'version.txt')).toBe('3');
    expect(git(checkout, 'remote', 'get-url', 'origin')).toBe(`${https.url}/project.git`);
  });

  it('fails without prompting when the password is wrong or missing, and removes its temporary files', async () => {
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith('regatta-git-') && !name.startsWith('regatta-git-test-'));
    await expect(driver().load(at({ repo: `${https.url}/project.git`, ...credentials, passwordSecret: { name: 'git-creds', key: 'wrong' } }), join(work, 'denied'))).rejects.toThrow(
      `git repository ${https.url}/project.git: fatal: Authentication failed`,
    );
    await expect(driver().load(at({ repo: `${https.url}/project.git` }), join(work, 'denied'))).rejects.toThrow('terminal prompts disabled');
    const after = (await readdir(tmpdir())).filter((name) => name.startsWith('regatta-git-') && !name.startsWith('regatta-git-test-'));
    expect(after).toEqual(before);
  });

  it('hands an SSH key to ssh as a file, without prompting, and fails naming the repository when the server is unreachable', async () => {
    const repo = 'ssh://git@127.0.0.1:1/project.git';
    await expect(driver().load(at({ repo, sshPrivateKeySecret: { name: 'git-creds', key: 'key' }, insecureIgnoreHostKey: true }), join(work, 'ssh'))).rejects.toThrow(
      `git repository ${repo.replace('git@', '')}: fatal: Could not read from remote repository.`,
    );
  });
});

describe('git command lines', () => {
  it('clone every branch unless singleBranch, even at a depth', () => {
    expect(cloneOptions({ repo: 'r', depth: 1 })).toEqual(['--depth=1', '--no-single-branch']);
    expect(cloneOptions({ repo: 'r', depth: 1, branch: 'b', singleBranch: true })).toEqual(['--branch', 'b', '--depth=1', '--single-branch']);
    expect(cloneOptions({ repo: 'r', revision: 'v1' })).toEqual(['--no-checkout']);
  });

  it('run ssh with the key file and without prompts, ignoring host keys only when told', () => {
    expect(sshCommand('/tmp/x/id', false)).toBe("ssh -o BatchMode=yes -i '/tmp/x/id' -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes");
    expect(sshCommand(undefined, true)).toBe('ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null');
  });
});

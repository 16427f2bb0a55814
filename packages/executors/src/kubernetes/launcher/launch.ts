// The launcher in front of every user container: `<runDir>/launcher -- <argv…>`. It runs the argv as a
// child, passes it the signals the container gets (and those the `wait` container asks for through
// `ctr/<name>/signal`), tees its stdout/stderr to the container's own (so pods/log has them) and to
// `ctr/<name>/stdout|stderr` (and both, as they come, to `ctr/<name>/main.log` where REGATTA_KEEP_LOG asks
// for the log to be archived), copies the declared output files into `outputs/`, writes
// `ctr/<name>/exitcode` last, and exits with the child's code.
//
// This file is copied alone into the pod (launcher/install.ts), so it imports nothing but Node's own
// modules. It is a Node script for now: the user's image needs `node` on its PATH (docs/kubernetes-executor.md).
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { basename, join } from 'node:path';

/** The launcher could not run the command at all (Argo's emissary uses 64 for its own errors). */
const LAUNCHER_ERROR = 64;
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
const POLL_MS = 250;

interface OutputsSpec {
  parameters?: { name: string; valueFrom?: { path?: string } }[];
  artifacts?: { name: string; path?: string }[];
}

/** Runs `args` (`-- argv…`) as the launcher in `runDir`; resolves with the exit code to exit with. */
export async function launch(args: string[], runDir: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const argv = args[0] === '--' ? args.slice(1) : args;
  const name = env.REGATTA_CONTAINER;
  if (argv.length === 0 || !name) {
    process.stderr.write('regatta launcher: usage: launcher -- <command> [args…], with REGATTA_CONTAINER set\n');
    return LAUNCHER_ERROR;
  }
  const dir = join(runDir, 'ctr', name);
  await mkdir(dir, { recursive: true });
  if (env.REGATTA_SCRIPT !== undefined) await writeFile(join(runDir, 'script'), env.REGATTA_SCRIPT, { mode: 0o755 });
  const dependencies = JSON.parse(env.REGATTA_DEPENDENCIES ?? '[]') as string[];
  const failed = await failedDependency(runDir, dependencies);
  if (failed !== undefined) {
    // A member whose dependency failed does not run (the local executor's Omitted): `omitted <dependency>`.
    await writeAtomically(join(dir, 'exitcode'), `omitted ${failed}`);
    return 0;
  }
  const retries = Number(env.REGATTA_RETRIES ?? 0);
  const stdout = createWriteStream(join(dir, 'stdout'));
  const stderr = createWriteStream(join(dir, 'stderr'));
  const log = env.REGATTA_KEEP_LOG === 'true' ? createWriteStream(join(dir, 'main.log')) : undefined;
  let code: number;
  for (let attempt = 0; ; attempt++) {
    code = await runChild(argv, dir, stdout, stderr, log);
    if (code === 0 || attempt >= retries) break;
    await new Promise((resolve) => setTimeout(resolve, Number(env.REGATTA_RETRY_DELAY_MS ?? 0)));
  }
  await Promise.all([close(stdout), close(stderr), ...(log ? [close(log)] : [])]);
  if (env.REGATTA_OUTPUTS) await copyOutputs(JSON.parse(env.REGATTA_OUTPUTS) as OutputsSpec, runDir);
  await writeAtomically(join(dir, 'exitcode'), String(code));
  return code;
}

function runChild(argv: string[], dir: string, stdout: WriteStream, stderr: WriteStream, log: WriteStream | undefined): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['inherit', 'pipe', 'pipe'] });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of SIGNALS) process.on(signal, forward);
    // Piped, so that a slow reader (the container runtime's log, the disk) slows the child rather than fill memory.
    for (const [from, ...to] of [[child.stdout, process.stdout, stdout], [child.stderr, process.stderr, stderr]] as const) {
      for (const sink of log ? [...to, log] : to) from.pipe(sink, { end: false });
    }
    // The wait container's requests (stop a sidecar, pass a stop on): a signal name in a file.
    const signalFile = join(dir, 'signal');
    const poll = setInterval(() => {
      readFile(signalFile, 'utf8')
        .then(async (text) => (await rm(signalFile, { force: true }), child.kill((text.trim() || 'SIGTERM') as NodeJS.Signals)))
        .catch(() => undefined);
    }, POLL_MS);
    const done = (code: number) => {
      clearInterval(poll);
      for (const signal of SIGNALS) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const message = `regatta launcher: cannot run "${argv[0]}": ${error.code === 'ENOENT' ? 'executable file not found' : error.message}\n`;
      process.stderr.write(message);
      stderr.write(message);
      log?.write(message);
      done(error.code === 'ENOENT' ? 127 : 126);
    });
    child.on('close', (exitCode, signal) => done(exitCode ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
  });
}

/** The first dependency that did not exit 0, once each has ended; undefined where all succeeded. */
async function failedDependency(runDir: string, dependencies: string[]): Promise<string | undefined> {
  for (const dependency of dependencies) {
    for (;;) {
      const text = await readFile(join(runDir, 'ctr', dependency, 'exitcode'), 'utf8').catch(() => undefined);
      if (text !== undefined) {
        if (text.trim() !== '0') return dependency;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  return undefined;
}

/**
 * Each `valueFrom.path` parameter's file, and each artifact's file or folder, by its index in
 * REGATTA_OUTPUTS, for the wait container (which sees only the run folder): a missing one is left to it
 * to judge (a default, `optional`). An artifact keeps its base name (`outputs/artifacts/<index>/<name>`),
 * which an archive's entry carries; its links are copied as links, never followed out of it.
 */
async function copyOutputs(spec: OutputsSpec, runDir: string): Promise<void> {
  const parameters = join(runDir, 'outputs', 'parameters');
  await mkdir(parameters, { recursive: true });
  for (const [index, parameter] of (spec.parameters ?? []).entries()) {
    const path = parameter.valueFrom?.path;
    if (path) await copyFile(path, join(parameters, String(index))).catch(() => undefined);
  }
  for (const [index, artifact] of (spec.artifacts ?? []).entries()) {
    if (!artifact.path) continue;
    const target = join(runDir, 'outputs', 'artifacts', String(index));
    await mkdir(target, { recursive: true });
    await cp(artifact.path, join(target, basename(artifact.path) || artifact.name), { recursive: true, verbatimSymlinks: true }).catch(() => undefined);
  }
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}

/** Written whole or not at all: the wait container reads it as soon as it exists. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

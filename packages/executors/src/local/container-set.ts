// Argo's containerSet as a pod runs it: the containers share the node's sandbox (its /tmp, as a pod's
// containers share its volumes) and each starts once every container it depends on has succeeded;
// independent ones run in parallel. A failed container runs again up to `retries` times; the containers
// that depend on one that did not succeed never start. Aborting the node stops every container running
// and starts no other; nothing the node started is left running when this settles.
import { argoTime, longDelay, type ContainerResult } from '@regatta/spec';
import type { RunContext } from '../executor.js';
import { NodeProcess, type ProcessExit } from './node-process.js';
import { TailBuffer } from './output-capture.js';
import type { ContainerLaunch } from './run-containers.js';

export interface SetContainerLaunch extends ContainerLaunch {
  name: string;
  dependencies: string[];
}

export interface ContainerSetExit {
  containers: ContainerResult[];
  /** The main container's last run, with the tail of its stdout; absent when it never started. */
  main?: ProcessExit & { result: string };
}

/** The order problem of a set, if any: a dependency on a container that is not in it, or a cycle. */
export function containerSetProblem(containers: { name: string; dependencies: string[] }[]): string | undefined {
  const byName = new Map(containers.map((c) => [c.name, c]));
  if (byName.size !== containers.length) return 'containerSet: container names must be unique';
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): string | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return `containerSet: dependencies form a cycle (${[...path, name].join(' -> ')})`;
    state.set(name, 'visiting');
    for (const dependency of byName.get(name)!.dependencies) {
      if (!byName.has(dependency)) return `containerSet: container "${name}" depends on "${dependency}", which is not in the set`;
      const problem = visit(dependency, [...path, name]);
      if (problem) return problem;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const { name } of containers) {
    const problem = visit(name, []);
    if (problem) return problem;
  }
  return undefined;
}

/** Rejects only when a launcher cannot be started, once whatever had started has been stopped. */
export async function runContainerSet(
  containers: SetContainerLaunch[],
  mainName: string,
  retries: number,
  retryDelayMs: number,
  context: RunContext,
  killGraceMs: number,
): Promise<ContainerSetExit> {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const running = new Set<NodeProcess>();
  let aborted = false;
  let main: ContainerSetExit['main'];
  const abort = () => {
    aborted = true;
    for (const process of running) process.stop(killGraceMs);
  };
  if (context.signal.aborted) abort();
  else context.signal.addEventListener('abort', abort, { once: true });

  const runs = new Map<string, Promise<ContainerResult>>();
  const run = (container: SetContainerLaunch): Promise<ContainerResult> => {
    let promise = runs.get(container.name);
    if (!promise) runs.set(container.name, (promise = runOne(container)));
    return promise;
  };
  const runOne = async (container: SetContainerLaunch): Promise<ContainerResult> => {
    const { name } = container;
    const dependencies = await Promise.all(container.dependencies.map((dependency) => run(byName.get(dependency)!)));
    const failed = dependencies.find((dependency) => dependency.phase !== 'Succeeded');
    if (failed) return { name, phase: 'Omitted', message: `dependency "${failed.name}" did not succeed` };
    if (aborted) return { name, phase: 'Omitted', message: 'not started: the node was stopped' };
    const startedAt = argoTime();
    for (let attempt = 0; ; attempt++) {
      const tail = name === mainName ? new TailBuffer() : undefined;
      let process: NodeProcess;
      try {
        process = await NodeProcess.start(container.launch, (stream, line) => context.onLog(stream, `[${name}] ${line}`), tail);
      } catch (error) {
        abort();
        throw error;
      }
      running.add(process);
      if (aborted) process.stop(killGraceMs);
      if (name === mainName && attempt === 0) context.onStarted?.();
      const exit = await process.exit;
      running.delete(process);
      if (tail) main = { ...exit, result: tail.result() };
      const ended = { name, exitCode: exit.exitCode, startedAt, finishedAt: argoTime(exit.exitedAt) };
      if (exit.exitCode === 0 && !exit.stopped) return { ...ended, phase: 'Succeeded' };
      if (exit.stopped || aborted || attempt >= retries) {
        return { ...ended, phase: 'Failed', message: exit.stopped ? 'terminated' : `Error (exit code ${exit.exitCode})` };
      }
      context.onLog('stderr', `[${name}] exited with code ${exit.exitCode}; retry ${attempt + 1} of ${retries}`);
      // Argo's retryStrategy.duration: the time between retries, however long; an abort ends the wait.
      if (retryDelayMs > 0) await longDelay(retryDelayMs, context.signal);
      if (aborted) return { ...ended, phase: 'Failed', message: 'terminated' };
    }
  };
  try {
    const settled = await Promise.allSettled(containers.map(run));
    const rejected = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
    return { containers: settled.map((outcome) => (outcome as PromiseFulfilledResult<ContainerResult>).value), ...(main && { main }) };
  } finally {
    context.signal.removeEventListener('abort', abort);
  }
}

// A node's containers as a pod runs them: init containers one by one, then every sidecar, then the main container. The
// node is the main container: when it exits, or the node is aborted, the sidecars are stopped (SIGTERM,
// SIGKILL after the grace), and nothing the node started is left running when this settles.
import type { RunContext } from '../executor.js';
import { NodeProcess, type LogLine, type ProcessExit } from './node-process.js';
import { TailBuffer } from './output-capture.js';
import type { Launch } from './sandbox.js';

export interface ContainerLaunch {
  launch: Launch;
}

export interface SidecarLaunch extends ContainerLaunch {
  name: string;
}

export interface ContainersExit {
  /** `stopped` means the node was aborted; `result` is the tail of the main container's stdout. */
  main: ProcessExit & { result: string };
  sidecars: { name: string; exitCode: number }[];
}

/**
 * Argo's init containers: one after another, each to its end. Returns the first that did not succeed, its
 * exit code as a shell reports it; nothing once the node is aborted (the caller reads the signal).
 */
export async function runInitContainers(inits: SidecarLaunch[], context: RunContext, killGraceMs: number): Promise<{ name: string; exitCode: number } | undefined> {
  for (const { name, launch } of inits) {
    if (context.signal.aborted) return undefined;
    const container = await NodeProcess.start(launch, (stream, line) => context.onLog(stream, `[${name}] ${line}`));
    const stop = () => container.stop(killGraceMs);
    context.signal.addEventListener('abort', stop, { once: true });
    const { exitCode } = await container.exit;
    context.signal.removeEventListener('abort', stop);
    if (exitCode !== 0) return context.signal.aborted ? undefined : { name, exitCode };
  }
  return undefined;
}

/** Rejects only when a launcher cannot be started, once whatever had started has been stopped. */
/** `onMainLog` takes the main container's lines (default: the node's log); sidecars' go to the node's log. */
export async function runContainers(main: ContainerLaunch, sidecars: SidecarLaunch[], context: RunContext, killGraceMs: number, onMainLog: LogLine = context.onLog): Promise<ContainersExit> {
  const started: NodeProcess[] = [];
  let aborted = false;
  const track = (container: NodeProcess) => {
    started.push(container);
    if (aborted) container.stop(killGraceMs);
    return container;
  };
  const stopAll = () => started.forEach((container) => container.stop(killGraceMs));
  const abort = () => {
    aborted = true;
    stopAll();
  };
  if (context.signal.aborted) abort();
  else context.signal.addEventListener('abort', abort, { once: true });
  try {
    // All settled, so that every sidecar that did start is tracked, and stopped, when another did not.
    const starts = await Promise.allSettled(
      sidecars.map(({ launch, name }) => NodeProcess.start(launch, (stream, line) => context.onLog(stream, `[${name}] ${line}`)).then(track)),
    );
    const running = starts.map((start) => {
      if (start.status === 'rejected') throw start.reason;
      return start.value;
    });
    const tail = new TailBuffer();
    const mainContainer = track(await NodeProcess.start(main.launch, onMainLog, tail));
    context.onStarted?.();
    const mainExit = await mainContainer.exit;
    stopAll();
    const sidecarExits = await Promise.all(running.map((container) => container.exit));
    return {
      main: { ...mainExit, result: tail.result() },
      sidecars: sidecarExits.map(({ exitCode }, index) => ({ name: sidecars[index]!.name, exitCode })),
    };
  } catch (error) {
    stopAll();
    await Promise.all(started.map((container) => container.exit));
    throw error;
  } finally {
    context.signal.removeEventListener('abort', abort);
  }
}

// What the `wait` container reports once the main containers ended, read from the files their
// launchers left in the run folder: the result (the tail of the output container's stdout, as Argo's
// 256 KiB), its exit code, and the output parameters (`valueFrom.path`, with defaults, as local mode).
// Output artifacts are save-outputs.ts's.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Artifact, Parameter } from '@regatta/spec';
import { RESULT_LIMIT, TailBuffer } from '../../local/output-capture.js';
import { readOutputParameters } from '../../local/output-parameters.js';
import type { PodOutputs } from '../pod-outputs.js';

export interface OutputsSpec {
  parameters?: Parameter[];
  /** The template's output artifacts, each with its location. */
  artifacts?: Artifact[];
}

/** Reads the outputs of `outputContainer` from `runDir`; its `ctr/<name>/exitcode` must exist. */
export async function collectOutputs(runDir: string, outputContainer: string, spec: OutputsSpec): Promise<PodOutputs> {
  const dir = join(runDir, 'ctr', outputContainer);
  const exitCode = (await readFile(join(dir, 'exitcode'), 'utf8')).trim();
  const outputs: PodOutputs = { exitCode, result: await tail(join(dir, 'stdout')) };
  const declared = spec.parameters ?? [];
  // The launcher copied each file under its index in the declared list.
  const read = await readOutputParameters(declared, async (path) => join(runDir, 'outputs', 'parameters', String(declared.findIndex((p) => p.valueFrom?.path === path))));
  if (read.parameters.length > 0) outputs.parameters = read.parameters;
  // Argo reports a failed container's outputs as they are: a missing file matters only where the container succeeded.
  if (read.error && exitCode === '0') outputs.error = read.error;
  return outputs;
}

/** The last RESULT_LIMIT bytes of a file (a chatty container's stdout can be large), as `outputs.result`. */
async function tail(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, RESULT_LIMIT + 1);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const result = new TailBuffer();
    result.push(buffer);
    return result.result();
  } finally {
    await handle.close();
  }
}

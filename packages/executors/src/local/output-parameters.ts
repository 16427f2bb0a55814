// Output parameters with `valueFrom.path`, read once the process has exited. In the sandbox a path
// under /tmp is the node's private /tmp; other paths are read from the host as they are.
import { readFile, stat } from 'node:fs/promises';
import type { Parameter } from '@regatta/spec';

const PARAMETER_LIMIT = 1024 * 1024;

export type ReadResult = { parameters: Parameter[] } | { error: string };

export async function readOutputParameters(declared: Parameter[] | undefined, hostPath: (path: string) => string): Promise<ReadResult> {
  const parameters: Parameter[] = [];
  for (const parameter of declared ?? []) {
    const path = parameter.valueFrom?.path;
    if (path === undefined) continue;
    try {
      const file = hostPath(path);
      const { size } = await stat(file);
      if (size > PARAMETER_LIMIT) {
        return { error: `output parameter "${parameter.name}" at ${path} is ${size} bytes, over the limit of ${PARAMETER_LIMIT}` };
      }
      // Argo trims one trailing newline for convenience (`echo value > file`).
      parameters.push({ name: parameter.name, value: (await readFile(file, 'utf8')).replace(/\n$/, '') });
    } catch (error) {
      const fallback = parameter.valueFrom?.default;
      if (fallback !== undefined) parameters.push({ name: parameter.name, value: fallback });
      else return { error: `failed to read output parameter "${parameter.name}" from ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
    }
  }
  return { parameters };
}

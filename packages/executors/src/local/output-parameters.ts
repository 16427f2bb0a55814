// Output parameters with `valueFrom.path`, read once the process has exited, as Argo's wait container
// does (`SaveParameters`): a missing file takes `valueFrom.default`, and one trailing newline is trimmed
// from the value. Files are read through the node's view of the file system (its private /tmp).
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { getSystemErrorMap } from 'node:util';
import type { Parameter } from '@regatta/spec';

export const PARAMETER_LIMIT = 1024 * 1024;

export interface ParameterRead {
  /** Every parameter that could be read or defaulted, as `{ name, value }`. */
  parameters: Parameter[];
  /** The first that could not, for the node's message. */
  error?: string;
}

/** `hostPath` maps a path as the node saw it to where it may be read on this host (it throws where it may not). */
export async function readOutputParameters(declared: Parameter[] | undefined, hostPath: (path: string) => Promise<string>): Promise<ParameterRead> {
  const read: ParameterRead = { parameters: [] };
  for (const { name, valueFrom } of declared ?? []) {
    if (!valueFrom?.path) continue;
    let value: string;
    try {
      value = await readLimited(await hostPath(valueFrom.path));
    } catch (error) {
      if (valueFrom.default === undefined) {
        read.error ??= `failed to read output parameter "${name}" from ${valueFrom.path}: ${reason(error)}`;
        continue;
      }
      value = valueFrom.default;
    }
    read.parameters.push({ name, value: value.endsWith('\n') ? value.slice(0, -1) : value });
  }
  return read;
}

/**
 * Reads a regular file of at most PARAMETER_LIMIT bytes. Non-blocking open: a FIFO left there must not
 * hang the worker; no following a link put there since the path was resolved.
 */
async function readLimited(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error('not a regular file');
    const buffer = Buffer.alloc(Math.min(stats.size, PARAMETER_LIMIT) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > PARAMETER_LIMIT) throw new Error(`larger than the limit of ${PARAMETER_LIMIT} bytes`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The system's words for an I/O error ("no such file or directory"), without the host path it names. */
function reason(error: unknown): string {
  const { errno, message } = error as NodeJS.ErrnoException;
  return (errno !== undefined && getSystemErrorMap().get(errno)?.[1]) || message;
}

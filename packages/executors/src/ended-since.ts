// The result of a node that runs inside the worker (an HTTP request, a data template): its phase, a
// message, and the text that becomes `outputs.result`, timed from when it started.
import { argoTime } from '@regatta/spec';
import type { NodeRunResult } from './executor.js';

export type EndNode = (phase: NodeRunResult['phase'], message: string | undefined, result?: string) => NodeRunResult;

export function endedSince(startedAt: string = argoTime()): EndNode {
  return (phase, message, result) => ({
    phase,
    ...(message !== undefined && { message }),
    outputs: result === undefined ? {} : { result },
    startedAt,
    finishedAt: argoTime(),
  });
}

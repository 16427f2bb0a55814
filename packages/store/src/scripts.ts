// Loads the Lua scripts kept as files in ../lua and registers them on a connection, so each call is
// an EVALSHA with the script's key count taken from its file name (<verbNoun>-<numKeys>.lua).
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

const LUA_DIR = fileURLToPath(new URL('../lua/', import.meta.url));

export type ScriptName =
  | 'applyTransition'
  | 'clearOutbox'
  | 'acquireLease'
  | 'renewLease'
  | 'releaseLease'
  | 'heartbeatScheduler'
  | 'createResources'
  | 'replaceResource'
  | 'claimCronTick'
  | 'endCronChild'
  | 'locks'
  | 'beginSubmission'
  | 'createWorkflowRecord'
  | 'claimWorkflowName'
  | 'releaseWorkflowName'
  | 'announceWorkflow'
  | 'abandonSubmission'
  | 'findStaleSubmissions'
  | 'appendLogs'
  | 'claimUntold'
  | 'forgetTold'
  | 'deleteWorkflowTimers'
  | 'settleArchivePending';

export type ScriptCaller = (name: ScriptName, keys: string[], args: (string | number)[]) => Promise<unknown>;

let sources: Map<string, { numberOfKeys: number; lua: string }> | undefined;

function loadSources(): Map<string, { numberOfKeys: number; lua: string }> {
  if (sources) return sources;
  sources = new Map();
  for (const file of readdirSync(LUA_DIR)) {
    const match = /^(\w+)-(\d+)\.lua$/.exec(file);
    if (match) sources.set(match[1]!, { numberOfKeys: Number(match[2]), lua: readFileSync(LUA_DIR + file, 'utf8') });
  }
  return sources;
}

export function registerScripts(redis: Redis): ScriptCaller {
  for (const [name, script] of loadSources()) {
    if (!(name in redis)) redis.defineCommand(name, script);
  }
  return (name, keys, args) => {
    const command = (redis as unknown as Record<string, (all: (string | number)[]) => Promise<unknown>>)[name]!;
    // One array, which ioredis flattens: spread as arguments, a loop's 200,000 commands overflow the call stack.
    return command.call(redis, [...keys, ...args]);
  };
}

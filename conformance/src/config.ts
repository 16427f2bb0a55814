// Settings of one conformance run, read once at start from the environment and the command line;
// a bad value stops the run before anything starts, naming the variable or flag.
import { isAbsolute, resolve } from 'node:path';

export interface ConformanceConfig {
  /** The folder of Argo's examples. */
  corpus: string;
  redisUrl: string;
  /** Workflows running at once. */
  concurrency: number;
  /** How long one workflow may run before it is deleted and counted as failed. */
  timeoutS: number;
  /** `report` prints; `check` also fails on a regression; `update` rewrites the manifest's outcome classes. */
  mode: 'report' | 'check' | 'update';
  /** Only files whose path contains one of these (all when empty). */
  filters: string[];
  /** The worker's executor: `kubernetes` runs pods on a local control plane and kubelet (kube-cluster.ts). */
  executor: 'local' | 'kubernetes';
  repoRoot: string;
}

const EXECUTORS = ['local', 'kubernetes'] as const;

export const USAGE = `usage: npm run conformance -- [--check | --update] [--executor local|kubernetes] [FILTER...]

  --check    exit 1 when an example the manifest records as passing does not pass
  --update   rewrite the manifest's outcome classes from this run, keeping skip and expect entries
  --executor the worker's executor (default local); kubernetes starts a control plane and a local kubelet
  FILTER     run only the example files whose path contains one of these

  ARGO_EXAMPLES           the examples folder (default: ../shared/argo-examples from the repository root)
  REDIS_URL               default redis://127.0.0.1:6379
  CONFORMANCE_CONCURRENCY workflows run at once (default 6)
  CONFORMANCE_TIMEOUT_S   seconds one workflow may run (default 120)`;

export function readConfig(argvIn: string[], env: NodeJS.ProcessEnv, repoRoot: string): ConformanceConfig {
  const argv = [...argvIn];
  let executor: ConformanceConfig['executor'] = 'local';
  const at = argv.indexOf('--executor');
  if (at !== -1) {
    const value = argv[at + 1];
    if (!EXECUTORS.includes(value as ConformanceConfig['executor'])) throw new Error(`--executor must be local or kubernetes, got ${value === undefined ? 'nothing' : `"${value}"`}\n${USAGE}`);
    executor = value as ConformanceConfig['executor'];
    argv.splice(at, 2);
  }
  const flags = argv.filter((arg) => arg.startsWith('-'));
  const unknown = flags.find((flag) => flag !== '--check' && flag !== '--update');
  if (unknown !== undefined) throw new Error(`unknown option ${unknown}\n${USAGE}`);
  if (flags.includes('--check') && flags.includes('--update')) throw new Error(`--check and --update do not go together\n${USAGE}`);
  const corpus = env.ARGO_EXAMPLES ?? resolve(repoRoot, '../shared/argo-examples');
  return {
    corpus: isAbsolute(corpus) ? corpus : resolve(corpus),
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    concurrency: positiveInteger(env, 'CONFORMANCE_CONCURRENCY', 6),
    timeoutS: positiveInteger(env, 'CONFORMANCE_TIMEOUT_S', 120),
    mode: flags.includes('--check') ? 'check' : flags.includes('--update') ? 'update' : 'report',
    filters: argv.filter((arg) => !arg.startsWith('-')),
    executor,
    repoRoot,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

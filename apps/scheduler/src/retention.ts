// How long finished workflows are kept when they do not say (Argo's workflowDefaults ttlStrategy):
// REGATTA_DEFAULT_TTL_STRATEGY, Argo's ttlStrategy as YAML or JSON, checked at start. Argo keeps them
// forever by default, in etcd; here a finished workflow's record, nodes and up to 100,000 log lines
// stay in Redis's memory, so by default they go after 7 days - a working week and a weekend to look at
// results and logs - and `{}` keeps them forever, as Argo does.
import { parse } from 'yaml';
import { z } from 'zod';
import type { TtlStrategy } from '@regatta/engine';

export const DEFAULT_TTL_STRATEGY: TtlStrategy = { secondsAfterCompletion: 7 * 24 * 3600 };

const seconds = z.number().int().min(0).optional();
const ttlStrategySchema = z.strictObject({ secondsAfterCompletion: seconds, secondsAfterSuccess: seconds, secondsAfterFailure: seconds });

/** The default ttlStrategy from the variable's text (unset: DEFAULT_TTL_STRATEGY); throws naming the variable. */
export function parseDefaultTtlStrategy(text: string | undefined, variable = 'REGATTA_DEFAULT_TTL_STRATEGY'): TtlStrategy {
  if (text === undefined || text.trim() === '') return DEFAULT_TTL_STRATEGY;
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new Error(`${variable}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = ttlStrategySchema.safeParse(value);
  if (parsed.success) return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined));
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  throw new Error(`${variable}${where}: ${issue.message} (an Argo ttlStrategy, e.g. '{secondsAfterCompletion: 604800}', or '{}' to keep finished workflows)`);
}

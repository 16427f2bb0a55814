// What the fuzz properties share: how many cases a run makes (a few hundred in `npm test`, the full
// count with REGATTA_FUZZ=full), the time budget per case, what counts as a clear refusal, and the
// tally the full run prints.
import { ExpressionError } from '@regatta/expr';
import { SpecError, type SpecIssue } from '@regatta/spec';
import fc from 'fast-check';
import { afterAll } from 'vitest';

export const FULL = process.env.REGATTA_FUZZ === 'full';

/**
 * fast-check parameters: the case count for this mode, and the seed. The short run of `npm test` has a
 * fixed seed, so it passes or fails the same way every time; the full run draws one (printed with any
 * counterexample). REGATTA_FUZZ_SEED replays a given run.
 */
export function params(short: number, full: number): { numRuns: number; seed?: number } {
  const seed = process.env.REGATTA_FUZZ_SEED ?? (FULL ? undefined : '20261206');
  return { numRuns: FULL ? full : short, ...(seed !== undefined && { seed: Number(seed) }) };
}

/** Cases run between two returns to the event loop. */
const CHUNK = 250;

/**
 * fc.assert in chunks of CHUNK cases, the event loop let run between them: a property held synchronous
 * for minutes starves vitest's worker, whose reports to the main process then time out ("Timeout calling
 * onTaskUpdate") and fail a full run that found nothing. Chunk k draws from seed + k, so a failure's
 * printed seed, given as REGATTA_FUZZ_SEED, replays its chunk first.
 */
export async function assertInChunks<T>(property: fc.IProperty<T>, { numRuns, seed }: { numRuns: number; seed?: number }): Promise<void> {
  const base = seed ?? Math.floor(Math.random() * 0x7fffffff);
  for (let done = 0, chunk = 0; done < numRuns; done += CHUNK, chunk++) {
    fc.assert(property, { numRuns: Math.min(CHUNK, numRuns - done), seed: base + chunk });
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Per test: the default suite's 30 s is too short for a full run. */
export const TEST_TIMEOUT_MS = FULL ? 3_600_000 : 120_000;

/**
 * A case that takes longer than this counts as a hang. Generous on purpose: the machine is shared and
 * the cases are small; an endless loop runs into vitest's test timeout instead.
 */
export const CASE_BUDGET_MS = 2_000;

const SPEC_CODES = new Set(['YAML', 'SCHEMA', 'REFERENCE', 'CYCLE', 'DUPLICATE', 'PARAMETER', 'LIMIT']);
/** Words that betray a JavaScript value or error leaking into a user's message. */
const LEAK = /\[object Object\]|internal error|is not a function|Cannot read propert|Maximum call stack|undefined is not/;

/**
 * A clear refusal of a document: a SpecError with at least one issue, each of a known code, naming the
 * file given, with a message that is not a leaked JavaScript error, and placed by a line (≥ 1) or a
 * field path. The one issue allowed without either is the document-size limit (LIMIT), which is about
 * the whole file.
 */
export function clearSpecRefusal(error: unknown, file: string): string | undefined {
  if (!(error instanceof SpecError)) return `not a SpecError: ${describe(error)}`;
  if (error.issues.length === 0) return 'a SpecError with no issues';
  for (const issue of error.issues) {
    const vague = vagueIssue(issue, file);
    if (vague) return vague;
  }
  return undefined;
}

/** Why an issue is not clear (see clearSpecRefusal), or undefined when it is. */
export function vagueIssue(issue: SpecIssue, file: string): string | undefined {
  const shown = JSON.stringify(issue);
  if (!SPEC_CODES.has(issue.code)) return `unknown code: ${shown}`;
  if (issue.file !== file) return `issue names another file: ${shown}`;
  if (typeof issue.message !== 'string' || issue.message.trim() === '') return `issue without a message: ${shown}`;
  if (LEAK.test(issue.message)) return `message leaks a JavaScript error: ${shown}`;
  const placed = (Number.isInteger(issue.line) && issue.line! >= 1) || (typeof issue.path === 'string' && issue.path !== '');
  if (!placed && issue.code !== 'LIMIT') return `issue with neither line nor path: ${shown}`;
  return undefined;
}

/**
 * A clear refusal of an expression: an ExpressionError of a known code whose message is not empty and
 * is not the wrapper for an unexpected JavaScript error ("internal error: …", which packages/expr
 * uses for exceptions it did not mean to throw).
 */
export function clearExpressionRefusal(error: unknown): string | undefined {
  if (!(error instanceof ExpressionError)) return `not an ExpressionError: ${describe(error)}`;
  if (!['TAG', 'WHEN', 'DEPENDS', 'EXPR'].includes(error.code)) return `unknown code ${error.code}`;
  if (error.message.trim() === '') return 'empty message';
  if (LEAK.test(error.message)) return `message leaks a JavaScript error: ${error.message.slice(0, 300)}`;
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}\n${error.stack?.split('\n').slice(1, 6).join('\n')}` : String(error);
}

/** Runs a case, failing it when it takes longer than the budget. */
export function timed<T>(what: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  const took = performance.now() - start;
  if (took > CASE_BUDGET_MS) throw new Error(`${what} took ${Math.round(took)} ms, over the budget of ${CASE_BUDGET_MS} ms`);
  return value;
}

/** Outcomes per property, printed once the file's tests have run: how many cases, accepted or refused. */
const tally = new Map<string, Map<string, number>>();
export function count(property: string, outcome: string): void {
  const outcomes = tally.get(property) ?? new Map<string, number>();
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  tally.set(property, outcomes);
}

afterAll(() => {
  if (!FULL) return;
  for (const [property, outcomes] of tally) {
    const total = [...outcomes.values()].reduce((a, b) => a + b, 0);
    console.log(`fuzz ${property}: ${total} cases (${[...outcomes].map(([o, n]) => `${o} ${n}`).join(', ')})`);
  }
});

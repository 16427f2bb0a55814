// Argo's `{{…}}` substitution (util/template on valyala/fasttemplate): one pass over the text, each
// simple tag replaced by its value, unknown tags left as written. Expression tags (`{{=…}}`) are
// evaluated when the caller asks: leniently (a tag naming what is not known yet stays, as Argo's
// allowUnresolved) or strictly (the last substitution before a node runs, where a failure is an error).
// Values are never scanned again, so a parameter containing `{{…}}` stays literal.
import { trimSpace } from './chars.js';
import { ExpressionError } from './errors.js';
import { evaluateExpression } from './expression/index.js';
import { Budget, DEFAULT_MAX_STEPS } from './expression/budget.js';
import { formatGo } from './expression/format.js';
import type { Value } from './expression/values.js';

/** How `{{=…}}` tags are treated; left as written when not given. */
export interface ExpressionMode {
  strict: boolean;
  /** The time `now()` answers, so a replay evaluates the same. */
  now: string;
  /** Shared by every tag evaluated with this mode (see sharedBudget). */
  budget?: Budget;
}

/** A lookup returns the string value of a dotted key such as `inputs.parameters.msg`, or undefined. */
export type Lookup = (key: string) => string | undefined;

const START = '{{';
const END = '}}';
const EXCERPT = 80;

/** Visits every tag in order. Like fasttemplate, a tag runs from `{{` to the next `}}`, and a `{{`
 * without one is an error (Argo rejects such a template). */
function forEachTag(text: string, visit: (content: string, start: number, end: number) => void): void {
  for (let start = text.indexOf(START); start >= 0; ) {
    const close = text.indexOf(END, start + START.length);
    if (close < 0) {
      const rest = text.slice(start, start + EXCERPT);
      const excerpt = rest.length === EXCERPT ? `${rest}…` : rest;
      throw new ExpressionError('TAG', `cannot find end tag "${END}" in the template starting from "${excerpt}"`);
    }
    const end = close + END.length;
    visit(text.slice(start + START.length, close), start, end);
    start = text.indexOf(START, end);
  }
}

/** Argo decides the kind by the first character inside the braces, before any trimming. */
function isExpressionTag(content: string): boolean {
  return content.startsWith('=');
}

/** Argo's simpleReplace: the trimmed key; failing that, a nested `{{a.{{b}}` whose inner key `b`
 * (untrimmed) is known becomes `{{a.<value of b>`, to be resolved by a later pass. */
function resolve(content: string, lookup: Lookup, escape: (value: string) => string): string | undefined {
  const value = lookup(trimSpace(content));
  if (value !== undefined) return escape(value);
  const nested = content.lastIndexOf(START);
  if (nested <= 0) return undefined;
  const inner = lookup(content.slice(nested + START.length));
  return inner === undefined ? undefined : START + content.slice(0, nested) + escape(inner);
}

/**
 * Evaluates an expression over the same names as simple tags and prints the result as Go's `%v`
 * does (Argo's expressionReplace); nil is an error, as in Argo.
 */
export function evaluateToText(source: string, lookup: Lookup, now: string, budget?: Budget): string {
  let result: unknown;
  try {
    result = evaluateExpression(source, (path) => lookup(path), { now: new Date(now), budget });
  } catch (error) {
    throw new ExpressionError('EXPR', `failed to evaluate expression: ${(error as Error).message}`);
  }
  if (result === null || result === undefined) throw new ExpressionError('EXPR', `failed to evaluate expression: "${source}" evaluated to nil`);
  return formatGo(result as Value, new Budget(DEFAULT_MAX_STEPS, budget));
}

/** A tag's expression (JSON escapes undone on the JSON form); lenient mode keeps a tag that fails, so
 * that a later substitution with more names known can resolve it. */
function evaluateTag(content: string, lookup: Lookup, escape: (value: string) => string, mode: ExpressionMode): string | undefined {
  try {
    const source = escape === raw ? content.slice(1) : (JSON.parse(`"${content.slice(1)}"`) as string);
    return escape(evaluateToText(source, lookup, mode.now, mode.budget));
  } catch (error) {
    if (!mode.strict) return undefined;
    throw error instanceof ExpressionError ? error : new ExpressionError('EXPR', `expression "${content.slice(1)}" is not valid text`);
  }
}

/** Returns `text` itself when no tag resolved. */
function replaceTags(text: string, lookup: Lookup, escape: (value: string) => string, mode?: ExpressionMode): string {
  const parts: string[] = [];
  let copied = 0;
  forEachTag(text, (content, start, end) => {
    const replacement = isExpressionTag(content)
      ? mode && evaluateTag(content, lookup, escape, mode)
      : resolve(content, lookup, escape);
    if (replacement === undefined) return;
    parts.push(text.slice(copied, start), replacement);
    copied = end;
  });
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

const escapeJson = (value: string): string => JSON.stringify(value).slice(1, -1);
const raw = (value: string): string => value;

/** Substitutes on a plain string, inserting values as they are (e.g. a `when` condition). */
export function substituteString(text: string, lookup: Lookup, mode?: ExpressionMode): string {
  return replaceTags(text, lookup, raw, mode);
}

/** Substitutes on the JSON form, as Argo does, so quotes, backslashes and newlines in values stay
 * inside their strings. Returns `value` itself when it holds no tag that resolved. */
export function substituteJson<T>(value: T, lookup: Lookup, mode?: ExpressionMode): T {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return value;
  const replaced = replaceTags(json, lookup, escapeJson, mode);
  if (replaced === json) return value;
  try {
    return JSON.parse(replaced) as T;
  } catch {
    // Only a lookup that answers for a key spanning JSON strings (`{{a","b}}`) can get here.
    throw new ExpressionError('TAG', 'cannot finish template replacement because the result was invalid JSON');
  }
}

/** The trimmed keys of every simple tag in a value's JSON form (the keys substituteJson looks up),
 * each once, in order of first appearance. */
export function templateTags(value: unknown): string[] {
  const json = JSON.stringify(value) as string | undefined;
  const keys = new Set<string>();
  if (json !== undefined) {
    forEachTag(json, (content) => {
      if (!isExpressionTag(content)) keys.add(trimSpace(content));
    });
  }
  return [...keys];
}

/** The expressions of every `{{=…}}` tag in a value's JSON form, as written, for checks at submission. */
export function expressionTags(value: unknown): string[] {
  const json = JSON.stringify(value) as string | undefined;
  const sources: string[] = [];
  if (json !== undefined) {
    forEachTag(json, (content) => {
      if (!isExpressionTag(content)) return;
      try {
        sources.push(JSON.parse(`"${content.slice(1)}"`) as string);
      } catch {
        // The tag's `}}` lies beyond the end of its string: within the string it is never closed.
        const excerpt = content.slice(0, content.search(/(?<!\\)"|$/)).slice(0, EXCERPT);
        throw new ExpressionError('TAG', `cannot find end tag "${END}" in the template starting from "${START}${excerpt}"`);
      }
    });
  }
  return sources;
}

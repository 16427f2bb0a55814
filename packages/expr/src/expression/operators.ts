// expr's operators on values (vm/runtime): typed, so `"3" == 3` is false and `"3" + 1` an error;
// ints stay ints under + - * %, `/` and `**` give floats, `..` builds an int range; times and
// durations add and subtract as in Go. `and`, `or` and `??` short-circuit in the evaluator.
import type { CallContext } from './budget.js';
import { fail } from './failure.js';
import { describe } from './format.js';
import type { PatternCache } from './pattern.js';
import { compare, equal, GoDuration, GoTime, isInt, isMap, typeName, type Value } from './values.js';

function mismatch(operator: string, left: Value, right: Value): never {
  fail(`invalid operation: ${describe(left)} ${operator} ${describe(right)} (mismatched types ${typeName(left)} and ${typeName(right)})`);
}

/** math.Pow, which differs from `**` only in defining 1 ** NaN and (-1) ** ±Inf as 1. */
function pow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : x ** y;
}

function add(left: Value, right: Value, context: CallContext): Value {
  if (typeof left === 'number' && typeof right === 'number') return left + right;
  if (typeof left === 'string' && typeof right === 'string') {
    context.budget.length(left.length + right.length, 'string');
    return left + right;
  }
  if (left instanceof GoTime && right instanceof GoDuration) return new GoTime(left.ms + right.ns / 1e6);
  if (left instanceof GoDuration && right instanceof GoTime) return new GoTime(right.ms + left.ns / 1e6);
  if (left instanceof GoDuration && right instanceof GoDuration) return new GoDuration(left.ns + right.ns);
  return mismatch('+', left, right);
}

function subtract(left: Value, right: Value): Value {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (left instanceof GoTime && right instanceof GoTime) return new GoDuration((left.ms - right.ms) * 1e6);
  if (left instanceof GoTime && right instanceof GoDuration) return new GoTime(left.ms - right.ns / 1e6);
  if (left instanceof GoDuration && right instanceof GoDuration) return new GoDuration(left.ns - right.ns);
  return mismatch('-', left, right);
}

function numbers(operator: string, left: Value, right: Value): [number, number] {
  if (typeof left !== 'number' || typeof right !== 'number') mismatch(operator, left, right);
  return [left, right];
}

function range(left: Value, right: Value, context: CallContext): Value[] {
  if (!isInt(left) || !isInt(right)) mismatch('..', left, right);
  const size = Math.max(0, right - left + 1);
  // Charged before anything is allocated, so `1..100000000` fails at once.
  context.budget.step(size);
  return Array.from({ length: size }, (_item, i) => left + i);
}

function within(left: Value, right: Value, context: CallContext): boolean {
  if (right === null) return false;
  if (Array.isArray(right)) {
    context.budget.step(right.length);
    return right.some((item) => equal(item, left, context.budget));
  }
  if (isMap(right)) {
    if (typeof left !== 'string') fail(`cannot use ${typeName(left)} as a key of a map in \`in\``);
    return Object.hasOwn(right, left);
  }
  return mismatch('in', left, right);
}

function strings(operator: string, left: Value, right: Value): [string, string] {
  if (typeof left !== 'string' || typeof right !== 'string') mismatch(operator, left, right);
  return [left, right];
}

/** Every binary operator except the short-circuiting `and`, `or` and `??`. */
export function binary(operator: string, left: Value, right: Value, context: CallContext, patterns: PatternCache): Value {
  switch (operator) {
    case '==':
      return equal(left, right, context.budget);
    case '!=':
      return !equal(left, right, context.budget);
    case '<':
      return compare(left, right, operator) < 0;
    case '>':
      return compare(left, right, operator) > 0;
    case '<=':
      return compare(left, right, operator) <= 0;
    case '>=':
      return compare(left, right, operator) >= 0;
    case '+':
      return add(left, right, context);
    case '-':
      return subtract(left, right);
    case '*': {
      const [a, b] = numbers(operator, left, right);
      return a * b;
    }
    case '/': {
      const [a, b] = numbers(operator, left, right);
      return a / b;
    }
    case '%': {
      if (!isInt(left) || !isInt(right)) mismatch(operator, left, right);
      if (right === 0) fail('integer divide by zero');
      return left % right;
    }
    case '**':
    case '^':
      return pow(...numbers(operator, left, right));
    case '..':
      return range(left, right, context);
    case 'in':
      return within(left, right, context);
    case 'contains': {
      const [text, part] = strings(operator, left, right);
      return text.includes(part);
    }
    case 'startsWith': {
      const [text, prefix] = strings(operator, left, right);
      return text.startsWith(prefix);
    }
    case 'endsWith': {
      const [text, suffix] = strings(operator, left, right);
      return text.endsWith(suffix);
    }
    case 'matches': {
      const [text, pattern] = strings(operator, left, right);
      return patterns.get(pattern).test(text, context.budget);
    }
    default:
      return fail(`unknown operator ${operator}`);
  }
}

/** `not`/`!` take a bool, `-`/`+` a number. */
export function unary(operator: string, operand: Value): Value {
  if (operator === 'not' || operator === '!') {
    if (typeof operand !== 'boolean') fail(`invalid operation: ${operator} ${describe(operand)} (mismatched type ${typeName(operand)})`);
    return !operand;
  }
  if (typeof operand !== 'number') fail(`invalid operation: ${operator}${describe(operand)} (mismatched type ${typeName(operand)})`);
  return operator === '-' ? -operand : operand;
}

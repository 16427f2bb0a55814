// govaluate's evaluation stages (evaluationStage.go): each operator's type checks, short circuits and
// arithmetic on float64, with its error texts, so a `when` fails where and as Argo's does.
import { Failure } from './errors.js';
import { compareStrings, deepEqual, formatValue, type Value } from './go-value.js';
import type { Budget } from './expression/budget.js';
import { CompiledPattern, compilePattern } from './regex.js';
import type { Node } from './when-parser.js';

type Checked = 'logical operator' | 'modifier' | 'comparator' | 'ternary operator';

function typeError(value: Value, checked: Checked, operator: string): Failure {
  const wanted = checked === 'logical operator' || checked === 'ternary operator' ? 'bool' : 'number';
  return new Failure(`Value '${formatValue(value)}' cannot be used with the ${checked} '${operator}', it is not a ${wanted}`);
}

function number(value: Value, checked: Checked, operator: string): number {
  if (typeof value !== 'number') throw typeError(value, checked, operator);
  return value;
}

function bool(value: Value, checked: Checked, operator: string): boolean {
  if (typeof value !== 'boolean') throw typeError(value, checked, operator);
  return value;
}

const INT64_LIMIT = 2 ** 63;

/** Go's int64(float64) on amd64: truncation, with the "integer indefinite" value when out of range. */
function toInt64(x: number): bigint {
  return Number.isFinite(x) && Math.abs(x) < INT64_LIMIT ? BigInt(Math.trunc(x)) : -(2n ** 63n);
}

function toUint64(x: number): bigint {
  return x >= INT64_LIMIT && x < 2 * INT64_LIMIT ? BigInt(Math.trunc(x)) : BigInt.asUintN(64, toInt64(x));
}

/** math.Pow differs from `**` only where Go defines 1 ** y and (-1) ** ±Inf as 1. */
function pow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : x ** y;
}

function arithmetic(operator: string, left: Value, right: Value): number {
  const a = number(left, 'modifier', operator);
  const b = number(right, 'modifier', operator);
  switch (operator) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '**':
      return pow(a, b);
    case '&':
      return Number(toInt64(a) & toInt64(b));
    case '|':
      return Number(toInt64(a) | toInt64(b));
    case '^':
      return Number(toInt64(a) ^ toInt64(b));
    case '<<':
      return Number(toUint64(b) >= 64n ? 0n : BigInt.asUintN(64, toUint64(a) << toUint64(b)));
    default: // '>>'
      return Number(toUint64(b) >= 64n ? 0n : toUint64(a) >> toUint64(b));
  }
}

function add(left: Value, right: Value): Value {
  if (typeof left === 'number' && typeof right === 'number') return left + right;
  if (typeof left !== 'string' && typeof right !== 'string') throw typeError(left, 'modifier', '+');
  return formatValue(left) + formatValue(right);
}

function order(operator: string, left: Value, right: Value): boolean {
  let a: number;
  let b: number;
  if (typeof left === 'number' && typeof right === 'number') [a, b] = [left, right];
  else if (typeof left === 'string' && typeof right === 'string') [a, b] = [compareStrings(left, right), 0];
  else throw typeError(left, 'comparator', operator);
  return operator === '>' ? a > b : operator === '>=' ? a >= b : operator === '<' ? a < b : a <= b;
}

function matches(operator: string, left: Value, right: Value, budget: Budget): boolean {
  if (typeof left !== 'string') throw typeError(left, 'comparator', operator);
  if (typeof right !== 'string' && !(right instanceof CompiledPattern)) throw typeError(right, 'comparator', operator);
  let pattern: CompiledPattern;
  try {
    pattern = right instanceof CompiledPattern ? right : compilePattern(right);
  } catch (error) {
    throw new Failure(`Unable to compile regexp pattern '${formatValue(right)}': ${(error as Error).message}`);
  }
  return pattern.test(left, budget) === (operator === '=~');
}

/** `in` compares with Go's interface `==`: slices are never equal, patterns only to themselves. */
function contains(left: Value, right: Value): boolean {
  if (!Array.isArray(right)) throw typeError(right, 'comparator', 'in');
  return !Array.isArray(left) && right.some((item) => item === left);
}

function binary(operator: string, left: Value, right: Value, budget: Budget): Value {
  switch (operator) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return order(operator, left, right);
    case '=~':
    case '!~':
      return matches(operator, left, right, budget);
    case 'in':
      return contains(left, right);
    case ',':
      // The list is this evaluation's own, so appending in place is safe (Go appends too).
      if (Array.isArray(left)) {
        left.push(right);
        return left;
      }
      return [left, right];
    case '+':
      return add(left, right);
    default:
      return arithmetic(operator, left, right);
  }
}

/** One step of a chain; the right operand is evaluated only where govaluate does not short-circuit. */
function step(operator: string, left: Value, right: () => Value, budget: Budget): Value {
  switch (operator) {
    case '&&': {
      if (left === false) return false;
      const value = right();
      return bool(left, 'logical operator', operator) && bool(value, 'logical operator', operator);
    }
    case '||': {
      if (left === true) return true;
      const value = right();
      return bool(left, 'logical operator', operator) || bool(value, 'logical operator', operator);
    }
    case '?': {
      if (left === false) return null;
      const value = right();
      return bool(left, 'ternary operator', operator) ? value : null;
    }
    case ':':
    case '??':
      return left !== null ? left : right();
    default:
      return binary(operator, left, right(), budget);
  }
}

function prefix(operator: string, value: Value): Value {
  switch (operator) {
    case '!':
      if (typeof value === 'boolean') return !value;
      break;
    case '-':
      if (typeof value === 'number') return -value;
      break;
    default: // '~'
      if (typeof value === 'number') return Number(~toInt64(value));
  }
  throw new Failure(`Value '${formatValue(value)}' cannot be used with the prefix '${operator}'`);
}

/** Pattern matches are charged to `budget`; the rest is bounded by the expression's length. */
export function evaluate(node: Node, budget: Budget): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'prefix':
      return prefix(node.operator, evaluate(node.operand, budget));
    case 'access':
      if (node.argument) evaluate(node.argument, budget);
      throw new Failure(`No parameter '${node.path[0]}' found.`);
    case 'chain': {
      let value = evaluate(node.first, budget);
      for (const { operator, operand } of node.rest) value = step(operator, value, () => evaluate(operand, budget), budget);
      return value;
    }
  }
}

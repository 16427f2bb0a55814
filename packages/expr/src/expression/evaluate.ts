// The tree walker. Variables resolve through the caller's scope by the longest dotted path first
// (`tasks.A.outputs.result`, then `tasks.A.outputs` indexed by `result`, … down to `tasks`), so
// flat keys and structured values both work. Every node costs a step, every failure gets the
// position of the node it happened in, and `?.` ends its chain with nil.
import type { Node, NodeOf } from './ast.js';
import { fetch, slice } from './access.js';
import type { Fn } from './arguments.js';
import { lenientFetch } from './builtins.js';
import type { CallContext } from './budget.js';
import { EvalFailure, fail } from './failure.js';
import { FUNCTIONS } from './functions.js';
import { callMethod } from './methods.js';
import { binary, unary } from './operators.js';
import { PatternCache } from './pattern.js';
import { PREDICATE_ARGS, runPredicate, type Predicate } from './predicates.js';
import { SPRIG } from './sprig.js';
import { fromHost, newMap, typeName, type Value } from './values.js';

/** Resolves a dotted variable path to its value, or undefined when unknown. */
export type ExpressionScope = (path: string) => unknown;

/** A `let` binding, or the element a predicate is looking at (`#`, `#index`, `#acc`). */
type Frame =
  | { readonly kind: 'let'; readonly name: string; readonly value: Value }
  | { readonly kind: 'pointer'; readonly item: Value; readonly index: number; readonly accumulator: Value | undefined };

/** Thrown by `?.` on nil and caught where its chain ends. */
class NilChain {}
const NIL_CHAIN = new NilChain();

type Member = NodeOf<'member'>;
type Identifier = NodeOf<'identifier'>;

export class Evaluator {
  private readonly frames: Frame[] = [];
  private readonly patterns = new PatternCache();
  /** Scope answers by path, converted once per evaluation. */
  private readonly resolved = new Map<string, Value | undefined>();

  constructor(
    private readonly scope: ExpressionScope,
    private readonly context: CallContext,
  ) {}

  evaluate(node: Node): Value {
    this.context.budget.step();
    try {
      return this.dispatch(node);
    } catch (error) {
      if (error instanceof EvalFailure && error.pos === undefined) error.pos = node.pos;
      throw error;
    }
  }

  private dispatch(node: Node): Value {
    switch (node.type) {
      case 'nil':
        return null;
      case 'bool':
      case 'number':
      case 'string':
        return node.value;
      case 'array':
        return node.items.map((item) => this.evaluate(item));
      case 'map':
        return this.map(node);
      case 'identifier':
        return this.variable(node, [], false);
      case 'pointer':
        return this.pointer(node.name);
      case 'member':
        return this.member(node, false);
      case 'slice': {
        const object = this.evaluate(node.object);
        this.chargeStrings([object]);
        return slice(object, node.from && this.evaluate(node.from), node.to && this.evaluate(node.to));
      }
      case 'chain':
        return this.chain(() => this.evaluate(node.node));
      case 'unary':
        return unary(node.operator, this.evaluate(node.operand));
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.truth(this.evaluate(node.test), 'condition') ? this.evaluate(node.then) : this.evaluate(node.otherwise);
      case 'call':
        return this.call(node);
      case 'method':
        return this.method(node);
      case 'closure':
        return fail('a predicate can only be an argument of a function that takes one');
      case 'let':
        return this.bind(node);
    }
  }

  private truth(value: Value, role: string): boolean {
    if (typeof value !== 'boolean') fail(`the ${role} must be a bool, got ${typeName(value)}`);
    return value;
  }

  private chain(run: () => Value): Value {
    try {
      return run();
    } catch (error) {
      if (error === NIL_CHAIN) return null;
      throw error;
    }
  }

  private map(node: NodeOf<'map'>): Value {
    const map = newMap();
    for (const entry of node.entries) {
      const key = this.evaluate(entry.key);
      if (typeof key !== 'string') fail(`a map key must be a string, got ${typeName(key)}`, entry.key.pos);
      map[key] = this.evaluate(entry.value);
    }
    return map;
  }

  private local(name: string): Frame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (frame.kind === 'let' && frame.name === name) return frame;
    }
    return undefined;
  }

  private pointer(name: string): Value {
    const frame = this.frames.findLast((candidate) => candidate.kind === 'pointer');
    if (frame?.kind !== 'pointer') return fail('cannot use pointer accessor outside predicate');
    if (name === '') return frame.item;
    if (name === 'index') return frame.index;
    if (name === 'acc' && frame.accumulator !== undefined) return frame.accumulator;
    return fail(`unknown pointer #${name}`);
  }

  private lookup(path: string): Value | undefined {
    if (!this.resolved.has(path)) {
      const raw = this.scope(path);
      this.resolved.set(path, raw === undefined ? undefined : fromHost(raw, path, this.context.budget));
    }
    return this.resolved.get(path);
  }

  /** A member chain of literal names from an identifier that is not a `let` name, if `node` is one. */
  private staticChain(node: Member): { root: Identifier; members: Member[] } | undefined {
    const members: Member[] = [];
    let current: Node = node;
    while (current.type === 'member' && current.property.type === 'string') {
      members.unshift(current);
      current = current.object;
    }
    if (current.type !== 'identifier' || this.local(current.name)) return undefined;
    return { root: current, members };
  }

  /** Resolves a root name and the literal names of the members after it, longest path first;
   * `lenient` makes an unknown name and a failed member access nil, as on the left of `??`. */
  private variable(root: Identifier, members: Member[], lenient: boolean): Value {
    if (members.length === 0) {
      const frame = this.local(root.name);
      if (frame?.kind === 'let') return frame.value;
    }
    const names = [root.name, ...members.map((member) => (member.property as NodeOf<'string'>).value)];
    for (let length = names.length; length >= 1; length--) {
      let value = this.lookup(names.slice(0, length).join('.'));
      if (value === undefined) continue;
      for (let i = length; i < names.length; i++) {
        const member = members[i - 1]!;
        this.context.budget.step();
        if (value === null && member.optional) throw NIL_CHAIN;
        value = this.fetch(value, names[i]!, member.pos, lenient);
      }
      return value;
    }
    if (lenient) return null;
    const path = names.join('.');
    if (FUNCTIONS.has(root.name) || PREDICATE_ARGS.has(root.name) || root.name === 'sprig') fail(`${path} is a function, not a value: call it`, root.pos);
    return fail(`unknown name ${path}`, root.pos);
  }

  private fetch(object: Value, key: Value, pos: number, lenient: boolean): Value {
    if (typeof object === 'string') this.context.budget.characters(object.length);
    try {
      return lenient ? lenientFetch(object, key) : fetch(object, key);
    } catch (error) {
      if (error instanceof EvalFailure) error.pos ??= pos;
      throw error;
    }
  }

  private member(node: Member, lenient: boolean): Value {
    const chain = this.staticChain(node);
    if (chain) return this.variable(chain.root, chain.members, lenient);
    const object = lenient ? this.nilable(node.object) : this.evaluate(node.object);
    if (object === null && node.optional) throw NIL_CHAIN;
    if (object === null && lenient) return null;
    return this.fetch(object, this.evaluate(node.property), node.pos, lenient);
  }

  /** The left of `??` and the first argument of `get`: unknown names and failed member accesses
   * along a chain give nil instead of an error. */
  private nilable(node: Node): Value {
    switch (node.type) {
      case 'identifier':
        this.context.budget.step();
        return this.variable(node, [], true);
      case 'member':
        this.context.budget.step();
        return this.member(node, true);
      case 'chain':
        return this.chain(() => this.nilable(node.node));
      case 'binary':
        // In `a ?? b ?? c` every operand but the last is on the left of a `??`.
        if (node.operator === '??') {
          const left = this.nilable(node.left);
          return left !== null ? left : this.nilable(node.right);
        }
        return this.evaluate(node);
      default:
        return this.evaluate(node);
    }
  }

  private binary(node: NodeOf<'binary'>): Value {
    const { operator } = node;
    if (operator === '??') {
      const left = this.nilable(node.left);
      return left !== null ? left : this.evaluate(node.right);
    }
    if (operator === 'and' || operator === '&&' || operator === 'or' || operator === '||') {
      const left = this.truth(this.evaluate(node.left), `left operand of ${operator}`);
      if (left === (operator === 'or' || operator === '||')) return left;
      return this.truth(this.evaluate(node.right), `right operand of ${operator}`);
    }
    const left = this.evaluate(node.left);
    const right = this.evaluate(node.right);
    this.chargeStrings([left, right]);
    return binary(operator, left, right, this.context, this.patterns);
  }

  /** Work on a string is proportional to its length. */
  private chargeStrings(values: Value[]): void {
    for (const value of values) if (typeof value === 'string') this.context.budget.characters(value.length);
  }

  private invoke(fn: Fn, args: Value[]): Value {
    this.chargeStrings(args);
    const result = fn(args, this.context);
    this.chargeStrings([result]);
    return result;
  }

  private call(node: NodeOf<'call'>): Value {
    if (PREDICATE_ARGS.has(node.name)) return this.predicateCall(node);
    const fn = FUNCTIONS.get(node.name) ?? fail(`unknown function ${node.name}`);
    // get() answers nil for what is not there, including an unknown variable.
    const args = node.args.map((arg, i) => (node.name === 'get' && i === 0 ? this.nilable(arg) : this.evaluate(arg)));
    return this.invoke(fn, args);
  }

  private predicateCall(node: NodeOf<'call'>): Value {
    const [listNode, closure, initialNode] = node.args;
    const list = this.evaluate(listNode!);
    const initial = initialNode && this.evaluate(initialNode);
    const predicate: Predicate | undefined =
      closure?.type === 'closure'
        ? (item, index, accumulator) => {
            this.frames.push({ kind: 'pointer', item, index, accumulator });
            try {
              return this.evaluate(closure.body);
            } finally {
              this.frames.pop();
            }
          }
        : undefined;
    return runPredicate(node.name, list, predicate, initial, this.context.budget);
  }

  private method(node: NodeOf<'method'>): Value {
    const { object } = node;
    if (object.type === 'identifier' && object.name === 'sprig' && !this.local('sprig')) {
      const fn = SPRIG.get(node.name) ?? fail(`unknown function sprig.${node.name}`);
      return this.invoke(fn, node.args.map((arg) => this.evaluate(arg)));
    }
    const target = this.evaluate(object);
    if (target === null && node.optional) throw NIL_CHAIN;
    return callMethod(target, node.name, node.args.map((arg) => this.evaluate(arg)), this.context);
  }

  private bind(node: NodeOf<'let'>): Value {
    const value = this.evaluate(node.value);
    this.frames.push({ kind: 'let', name: node.name, value });
    try {
      return this.evaluate(node.body);
    } finally {
      this.frames.pop();
    }
  }
}

// govaluate's stage planner (stagePlanner.go) over a checked token list: the same precedence levels,
// left-associative chains (what its reordering of right-recursive stages yields), a missing operand
// read as nil, and tokens left over after the expression ignored, as govaluate ignores them.
import { Failure } from './errors.js';
import type { Value } from './go-value.js';
import { display, type Token, type TokenKind } from './when-tokens.js';

export type Node =
  | { kind: 'literal'; value: Value }
  | { kind: 'prefix'; operator: string; operand: Node }
  | { kind: 'chain'; first: Node; rest: Array<{ operator: string; operand: Node }> }
  /** `a.B` reads a field of parameter `a`; Argo passes no parameters, so evaluating one fails. */
  | { kind: 'access'; path: string[]; argument: Node | undefined };

/** Lowest precedence first; each level holds one token kind and the operators it plans. */
const LEVELS: ReadonlyArray<{ kind: TokenKind; operators: ReadonlySet<string> }> = [
  { kind: 'SEPARATOR', operators: new Set([',']) },
  { kind: 'TERNARY', operators: new Set(['?', ':', '??']) },
  { kind: 'LOGICALOP', operators: new Set(['||']) },
  { kind: 'LOGICALOP', operators: new Set(['&&']) },
  { kind: 'COMPARATOR', operators: new Set(['==', '!=', '>', '>=', '<', '<=', '=~', '!~', 'in']) },
  { kind: 'MODIFIER', operators: new Set(['&', '|', '^']) },
  { kind: 'MODIFIER', operators: new Set(['<<', '>>']) },
  { kind: 'MODIFIER', operators: new Set(['+', '-']) },
  { kind: 'MODIFIER', operators: new Set(['*', '/', '%']) },
  { kind: 'MODIFIER', operators: new Set(['**']) },
];

const MAX_NESTING = 100;
const NIL: Node = { kind: 'literal', value: null };

class Planner {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  plan(): Node {
    return this.level(0);
  }

  private level(at: number): Node {
    const level = LEVELS[at];
    if (!level) return this.operand();
    const first = this.level(at + 1);
    const rest: Array<{ operator: string; operand: Node }> = [];
    for (let token = this.tokens[this.index]; this.isOperator(token, level); token = this.tokens[this.index]) {
      this.index++;
      rest.push({ operator: token.value, operand: this.level(at + 1) });
    }
    return rest.length === 0 ? first : { kind: 'chain', first, rest };
  }

  private isOperator(token: Token | undefined, level: (typeof LEVELS)[number]): token is Token & { value: string } {
    return token?.kind === level.kind && level.operators.has(token.value as string);
  }

  /** planFunction, planAccessor, planValue and planPrefix. */
  private operand(): Node {
    const token = this.tokens[this.index];
    if (!token || token.kind === 'CLAUSE_CLOSE') return NIL;
    this.index++;
    switch (token.kind) {
      case 'CLAUSE':
        return this.nested(() => {
          const inner = this.level(0);
          this.index++; // govaluate steps over the token after a group, trusting it to be `)`
          return inner;
        });
      case 'PREFIX':
        return this.nested(() => ({ kind: 'prefix', operator: token.value, operand: this.operand() }));
      case 'ACCESSOR': {
        const called = this.tokens[this.index]?.kind === 'CLAUSE';
        return { kind: 'access', path: token.value, argument: called ? this.nested(() => this.level(0)) : undefined };
      }
      case 'NUMERIC':
      case 'TIME':
      case 'BOOLEAN':
      case 'STRING':
      case 'VARIABLE':
      case 'PATTERN':
        return { kind: 'literal', value: token.value };
      default:
        throw new Failure(`Unable to plan token kind: '${token.kind}', value: '${display(token)}'`);
    }
  }

  private nested(plan: () => Node): Node {
    if (++this.depth > MAX_NESTING) throw new Failure(`nesting deeper than ${MAX_NESTING} levels`);
    try {
      return plan();
    } finally {
      this.depth--;
    }
  }
}

/** Plans a token list that checkSyntax accepted. A VARIABLE is planned as the string Argo makes it. */
export function plan(tokens: readonly Token[]): Node {
  return new Planner(tokens).plan();
}

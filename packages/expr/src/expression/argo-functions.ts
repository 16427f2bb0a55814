// The functions Argo adds to expr's environment (argoproj/pkg expr.GetExprEnvFunctionMap and
// util/expr/env): asInt and asFloat with strconv's strictness, string as fmt's %v, toJson as
// json.Marshal, and jsonpath. Argo's string and toJson take precedence over expr's builtins.
import { arity, stringArg, type Fn } from './arguments.js';
import { fail } from './failure.js';
import { describe, formatGo } from './format.js';
import { orFail, parseFloat64, parseInt64 } from './go-numbers.js';
import { jsonPath } from './jsonpath.js';
import { marshal, unmarshal } from './json.js';
import { typeName, type Value } from './values.js';

function unsupported(name: string, value: Value): never {
  fail(`${name}() not supported on ${typeName(value)} ${describe(value)}`);
}

export const ARGO_FUNCTIONS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  [
    'asInt',
    (args) => {
      arity('asInt', args, 1);
      const value = args[0]!;
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'string') return orFail(parseInt64(value), 'asInt: ');
      return unsupported('asInt', value);
    },
  ],
  [
    'asFloat',
    (args) => {
      arity('asFloat', args, 1);
      const value = args[0]!;
      if (typeof value === 'number') return value;
      if (typeof value === 'string') return orFail(parseFloat64(value), 'asFloat: ');
      return unsupported('asFloat', value);
    },
  ],
  ['string', (args, { budget }) => (arity('string', args, 1), formatGo(args[0]!, budget))],
  ['toJson', (args, { budget }) => (arity('toJson', args, 1), marshal(args[0]!, budget))],
  [
    'jsonpath',
    (args, { budget }) => {
      arity('jsonpath', args, 2);
      const document = unmarshal(stringArg('jsonpath', args, 0), budget, 'jsonpath');
      return jsonPath(document, stringArg('jsonpath', args, 1), budget);
    },
  ],
]);

// Every function an expression may call by name: expr's builtins with Argo's additions taking
// precedence (Argo's `string` and `toJson` replace expr's), and sprig's under `sprig.`.
import type { Fn } from './arguments.js';
import { ARGO_FUNCTIONS } from './argo-functions.js';
import { BUILTINS } from './builtins.js';
import { PREDICATE_ARGS } from './predicates.js';
import { SPRIG } from './sprig.js';

export const FUNCTIONS: ReadonlyMap<string, Fn> = new Map([...BUILTINS, ...ARGO_FUNCTIONS]);

export function isFunctionName(name: string): boolean {
  return FUNCTIONS.has(name) || PREDICATE_ARGS.has(name);
}

export function isSprigName(name: string): boolean {
  return SPRIG.has(name);
}

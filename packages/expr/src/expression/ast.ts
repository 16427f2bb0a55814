// The syntax tree the parser builds and the evaluator walks. Every node keeps the offset of the
// token it came from, for error messages.

interface At {
  readonly pos: number;
}

export type Node =
  | (At & { readonly type: 'nil' })
  | (At & { readonly type: 'bool'; readonly value: boolean })
  | (At & { readonly type: 'number'; readonly value: number })
  | (At & { readonly type: 'string'; readonly value: string })
  | (At & { readonly type: 'array'; readonly items: readonly Node[] })
  | (At & { readonly type: 'map'; readonly entries: readonly { readonly key: Node; readonly value: Node }[] })
  /** A variable: a `let` name or a path resolved through the scope. */
  | (At & { readonly type: 'identifier'; readonly name: string })
  /** Inside a predicate: `#` (name ''), `#index` or `#acc`. */
  | (At & { readonly type: 'pointer'; readonly name: string })
  /** `object.name`, `object[index]`, and their `?.` forms. */
  | (At & { readonly type: 'member'; readonly object: Node; readonly property: Node; readonly optional: boolean })
  | (At & { readonly type: 'slice'; readonly object: Node; readonly from: Node | undefined; readonly to: Node | undefined })
  /** Where an optional chain ends: a `?.` on nil inside makes the whole chain nil. */
  | (At & { readonly type: 'chain'; readonly node: Node })
  | (At & { readonly type: 'unary'; readonly operator: string; readonly operand: Node })
  | (At & { readonly type: 'binary'; readonly operator: string; readonly left: Node; readonly right: Node })
  | (At & { readonly type: 'conditional'; readonly test: Node; readonly then: Node; readonly otherwise: Node })
  /** A function by name; predicate arguments are `closure` nodes. */
  | (At & { readonly type: 'call'; readonly name: string; readonly args: readonly Node[] })
  /** `object.name(args)`: sprig's functions and methods of times and durations. */
  | (At & { readonly type: 'method'; readonly object: Node; readonly name: string; readonly args: readonly Node[]; readonly optional: boolean })
  | (At & { readonly type: 'closure'; readonly body: Node })
  | (At & { readonly type: 'let'; readonly name: string; readonly value: Node; readonly body: Node });

export type NodeOf<T extends Node['type']> = Extract<Node, { type: T }>;
